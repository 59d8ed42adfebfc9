import Foundation
import Hummingbird
import Logging
import NIOCore

/// An error the JSON API answers with: a status and a message meant for the caller.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
  public var status: HTTPResponse.Status
  public var message: String
  /// Extra response headers (`WWW-Authenticate`, `Allow`).
  public var headers: HTTPFields

  public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
    self.status = status
    self.message = message
    self.headers = headers
  }

  public var description: String { "\(status.code) \(message)" }

  static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
  static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }

  /// The body every API error has: `{"error": {"status": 404, "message": "no event 99"}}`.
  func response() -> Response {
    struct Body: Encodable {
      struct Detail: Encodable {
        var status: Int
        var message: String
      }
      var error: Detail
    }
    var response = JSONResponse.make(Body(error: .init(status: status.code, message: message)), status: status)
    response.headers.append(contentsOf: headers)
    return response
  }
}

/// Turns whatever goes wrong under `/api/` into a JSON error with a meaningful status, so API
/// clients never have to parse HTML or an empty body, and internals never leak.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    guard Self.isAPI(request.uri.path) else { return try await next(request, context) }
    do {
      let response = try await next(request, context)
      // An inner middleware may have answered an error in another format (an HTML error page).
      if response.status.code >= 400, response.headers[.contentType]?.hasPrefix("application/json") != true {
        return APIError(response.status, Self.standardMessage(response.status, request)).response()
      }
      return response
    } catch {
      return Self.translate(error, request: request, context: context).response()
    }
  }

  static func isAPI(_ path: String) -> Bool { path == "/api" || path.hasPrefix("/api/") }

  static func translate(_ error: any Error, request: Request, context: Context) -> APIError {
    switch error {
    case let error as APIError:
      return error
    case let error as HTTPError:
      // Messages of HTTPError are written by the server (Hummingbird or us), never user data.
      return APIError(error.status, error.body ?? standardMessage(error.status, request), headers: error.headers)
    case is NIOTooManyBytesError:
      return APIError(.contentTooLarge, "request body is too large")
    case let error as any HTTPResponseError:
      return APIError(error.status, standardMessage(error.status, request))
    default:
      // The details go to the log, where the operator can see them; the caller gets no internals.
      context.logger.error(
        "unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
      return APIError(.internalServerError, "internal error; the server log has the details")
    }
  }

  static func standardMessage(_ status: HTTPResponse.Status, _ request: Request) -> String {
    switch status.code {
    case 404: return "no route \(request.method.rawValue) \(request.uri.path)"
    case 405: return "method \(request.method.rawValue) is not allowed on \(request.uri.path)"
    case 413: return "request body is too large"
    default: return status.reasonPhrase.lowercased()
    }
  }
}

/// One log line per request with its status and duration: the server's access log.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    let clock = ContinuousClock()
    let start = clock.now
    do {
      let response = try await next(request, context)
      log(request, context, status: response.status.code, since: start, clock: clock)
      return response
    } catch {
      let status = (error as? any HTTPResponseError)?.status.code ?? 500
      log(request, context, status: status, since: start, clock: clock)
      throw error
    }
  }

  private func log(
    _ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant, clock: ContinuousClock
  ) {
    let elapsed = clock.now - start
    let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    // The query string is left out: it may carry search terms a user would not want in a log.
    context.logger.info(
      "\(request.method.rawValue) \(request.uri.path) \(status)",
      metadata: ["ms": "\((ms * 10).rounded() / 10)"])
  }
}
