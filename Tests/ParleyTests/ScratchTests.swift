import Foundation
import PropertyBased
import ParleyExtraction
import Testing

@Test func scratchExitProperty() async {
  let r = await #expect(processExitsWith: .signal(SIGILL), observing: [\.standardErrorContent]) {
    await propertyCheck(count: 20, input: Gen.int(in: 0...100)) { n in
      FileHandle.standardError.write(Data("n=\(n)\n".utf8))
      #expect(n < 500)
    }
  }
  print("STDERR", String(decoding: r?.standardErrorContent ?? [], as: UTF8.self).prefix(1500))
}

@Test func scratchExitCrash() async {
  let text = "Talks resumed on November 99999999999999999999 in Geneva."
  let r = await #expect(processExitsWith: .signal(SIGILL), observing: [\.standardErrorContent]) { [text = text as String] in
    FileHandle.standardError.write(Data("before\n".utf8))
    _ = try Support.extract(text)
  }
  print("STDERR2", String(decoding: r?.standardErrorContent ?? [], as: UTF8.self).prefix(800))
}
