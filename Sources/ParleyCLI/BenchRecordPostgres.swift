// Only with the PostgreSQL trait (see Package.swift).
#if PostgreSQL

  import ParleyBenchmarks
  import ParleyPostgres
  import ParleyStore
  import Synchronization

  /// `bench-record`'s PostgreSQL record: writers with connections of their own, as separate
  /// `parley ingest` processes have, and one reader for the figures and the timed queries.
  final class PostgresBenchmarkTarget: BenchmarkTarget, Sendable {
    let settings: PostgresSettings
    private let record: PostgresRecord
    private let queries: PostgresRecordReader
    private let opened = Mutex<[PostgresArticleWriter]>([])

    private init(settings: PostgresSettings, record: PostgresRecord, queries: PostgresRecordReader) {
      self.settings = settings
      self.record = record
      self.queries = queries
    }

    /// Connects (bringing the schema up to date) and opens the reader.
    static func connect(_ settings: PostgresSettings) async throws -> PostgresBenchmarkTarget {
      let record = try await PostgresRecord.connect(settings)
      do {
        return PostgresBenchmarkTarget(
          settings: settings, record: record, queries: try await PostgresRecordReader.connect(settings))
      } catch {
        await record.close()
        throw error
      }
    }

    var displayName: String { settings.displayURL }
    var backend: String { "postgresql" }
    var reader: any RecordQuerying { queries }
    var explainer: RecordStore? { nil }

    func writers(_ count: Int) throws -> [any ArticleWriter] {
      let settings = self.settings
      var made: [PostgresArticleWriter] = []
      for _ in 0..<count {
        // From the command's main thread, which may wait.
        let writer = try Blocking.run { try await PostgresArticleWriter.connect(settings) }
        made.append(writer)
        opened.withLock { $0.append(writer) }
      }
      return made
    }

    func sizes() throws -> (database: Int, wal: Int, shm: Int) {
      let record = self.record
      return (try Blocking.run { try await record.databaseSize() }, 0, 0)
    }

    func writeLockSeconds() -> (waited: Double, held: Double)? {
      opened.withLock { writers in
        writers.reduce((0, 0)) { sum, writer in
          let lock = writer.writeLockSeconds
          return (sum.0 + lock.waited, sum.1 + lock.held)
        }
      }
    }

    /// Ends every connection.
    func close() {
      let writers = opened.withLock { $0 }
      let (record, queries) = (self.record, self.queries)
      _ = try? Blocking.run {
        for writer in writers { await writer.close() }
        await queries.close()
        await record.close()
      }
    }
  }

#endif
