import FoundationEssentials

/// The `~` of every file physio reads or writes for the user (netrc, the session store, `~/.aws/credentials`,
/// `~/` paths in physio.toml).
///
/// `$HOME` first, as the shell, curl, ssh and git read it, so `env -i HOME=…`, `sudo -H`, containers and
/// test harnesses that set it are obeyed; the password database only when `HOME` is unset, empty or not an
/// absolute path. (Foundation's `homeDirectoryForCurrentUser` asks the password database first on Linux, so
/// a process whose `HOME` points elsewhere would read another `~/.netrc` than curl does.)
public enum HomeDirectory {
    public static func path(environment: [String: String]) -> String {
        if let home = environment["HOME"], home.hasPrefix("/") { return home }
        return FileManager.default.homeDirectoryForCurrentUser.path
    }
}
