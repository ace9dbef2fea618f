/// Reads the password from the file `PHYSIONET_PASSWORD_FILE` names: the `*_FILE` convention of container
/// and systemd secrets (`LoadCredential=` with `%d/…`, Docker and Kubernetes secret volumes).
///
/// The whole file, less one trailing line ending (`\n` or `\r\n`), is the password: an editor's or `echo`'s
/// final newline is not part of it, any other character is. Unlike netrc, a file that others may read is
/// accepted: systemd's credential copies are 0400/0440 owned by root or the service, Kubernetes mounts
/// secrets 0644 by default inside a container no other user shares, and the user chose this file on
/// purpose, by name. Its content is never shown, whatever goes wrong.
enum PasswordFile {
    /// A password is a line typed into a web form; a larger file is not a password file.
    static let sizeLimit = 4096

    static func read(_ path: String) throws(PhysioError) -> String {
        let variable = CredentialResolver.passwordFileVariable
        let loaded: SecureFile.Contents?
        do {
            loaded = try SecureFile.load(path)
        } catch {
            switch error {
            case .system(let reason): throw .passwordFileUnreadable(variable: variable, path: path, reason: reason)
            }
        }
        guard let contents = loaded else {
            throw .passwordFileUnreadable(variable: variable, path: path, reason: "it does not exist")
        }
        guard contents.bytes.count <= sizeLimit else {
            throw .passwordFileUnreadable(variable: variable, path: path, reason: "it is larger than \(sizeLimit) bytes, so it is not a password file")
        }
        guard let text = String(validating: contents.bytes, as: UTF8.self) else {
            throw .passwordFileUnreadable(variable: variable, path: path, reason: "it is not UTF-8 text")
        }
        let password = CredentialResolver.strippingLineEnding(text)
        guard !password.isEmpty else { throw .emptyPassword(source: "\(variable) (\(path))") }
        return password
    }
}
