import Foundation

extension DataFileError {
  /// `error` as "path: reason; fix" when it is a Foundation file error, else its own description.
  /// A `CocoaError` prints as a raw `Error Domain=NSCocoaErrorDomain … UserInfo={…}` dump (issue 11:
  /// an unwritable `--out`), which names neither the problem nor the fix in words.
  public static func describing(_ error: any Error) -> String {
    let cocoa = error as NSError
    guard cocoa.domain == NSCocoaErrorDomain,
          let path = cocoa.userInfo[NSFilePathErrorKey] as? String ?? (cocoa.userInfo[NSURLErrorKey] as? URL)?.path
    else { return "\(error)" }
    let posix = (cocoa.userInfo[NSUnderlyingErrorKey] as? any Error).map { $0 as NSError }
    let reason = posix.map { String(cString: strerror(Int32($0.code))) } ?? cocoa.localizedDescription
    return DataFileError(path: path, "\(reason); check that the parent directory exists and is writable").description
  }
}
