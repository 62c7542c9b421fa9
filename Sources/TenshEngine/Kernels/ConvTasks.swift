/// Runs `tasks` tasks over up to `threads` chunks; each chunk gets its own
/// workspace of `workspace` elements and takes tasks chunk, chunk+chunks, ...
/// Cancellation is checked between tasks and rethrown after the join.
func runConvTasks<T: GemmScalar>(_: T.Type, tasks: Int, workspace: Int, op: String,
                                 _ body: (_ task: Int, _ chunk: Int, _ scratch: UnsafeMutablePointer<T>) -> Void) throws {
    let chunks = max(1, min(EngineConfig.threads, tasks))
    parallelFor(chunks, threads: chunks) { chunk in
        let scratch = UnsafeMutablePointer<T>.allocate(capacity: max(workspace, 1))
        defer { scratch.deallocate() }
        var t = chunk
        while t < tasks && !Cancellation.isRequested {
            body(t, chunk, scratch)
            t += chunks
        }
    }
    try Cancellation.check(op)
}
