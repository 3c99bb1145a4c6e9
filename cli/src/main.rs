//! The `chatrace` binary: see the `chatrace_cli` library.

fn main() -> std::process::ExitCode {
    chatrace_cli::main()
}
