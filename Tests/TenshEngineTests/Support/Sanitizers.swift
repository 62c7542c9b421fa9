import Foundation

/// Whether this test process runs under AddressSanitizer or ThreadSanitizer
/// (scripts/sanitize.sh). They slow kernels ~100x and hold freed memory back, so
/// speed floors and memory-growth bounds are only asserted without them.
let runningUnderSanitizer: Bool = {
    let all = UnsafeMutableRawPointer(bitPattern: 0) // RTLD_DEFAULT
    return dlsym(all, "__asan_init") != nil || dlsym(all, "__tsan_init") != nil
}()
