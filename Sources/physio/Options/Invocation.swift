import PhysioKit

/// This invocation's environment, read from the process once; every command and PhysioKit take it from here.
let invocation = RunContext.current()
