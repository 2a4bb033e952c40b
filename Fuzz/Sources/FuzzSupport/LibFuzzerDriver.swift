import Foundation

/// What libFuzzer calls with each input: `LLVMFuzzerTestOneInput`'s shape.
public typealias FuzzTarget = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ target: FuzzTarget
) -> CInt

/// Hands the command line to libFuzzer.
///
/// SwiftPM links an executable target with `main` aliased to
/// `<Target>_main`, which `-parse-as-library` leaves undefined; each target
/// defines that symbol (`@_cdecl("<Target>_main")`) and calls this, so the
/// binary runs libFuzzer's driver whether or not SwiftPM adds the alias.
public func runLibFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, _ target: FuzzTarget
) -> CInt {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv, target)
}

/// Stops with `message` on stderr when `condition` is false. `precondition`
/// drops its message in an optimised build, and a finding needs it.
public func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    guard !condition() else { return }
    FileHandle.standardError.write(Data(("fuzz check failed: " + message() + "\n").utf8))
    abort()
}
