/// The site chrome every Django page shares: navbar markers (docs/protocol.md §2) around the page's own content.
enum PageLayout {
    static func render(title: String, user: FixtureUser?, content: String) -> String {
        // Every page has the account dropdown toggle; anonymous visitors see the word "Account" in it and a
        // menu with the login and register entries (docs/protocol.md §2).
        let toggleText = user.map { #"<i class="fa fa-user"></i> "# + escape($0.username) } ?? "Account"
        let menu =
            user == nil
            ? """
                <a id="nav_login" class="dropdown-item" href="/login/">Log In</a>
                    <a id="nav_register" class="dropdown-item" href="/register/">Register</a>
            """
            : """
                <a class="dropdown-item" href="/settings/profile/">Settings</a>
                    <a id="nav_logout" class="dropdown-item" href="/logout/">Log Out</a>
            """
        let account = """
            <li class="nav-item dropdown">
              <a class="nav-link dropdown-toggle" href="#" id="nav_account_dropdown" data-toggle="dropdown">\(toggleText)</a>
              <div class="dropdown-menu">
                \(menu)
              </div>
            </li>
            """
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escape(title))</title>
            </head>
            <body>
            <nav class="navbar navbar-expand-lg navbar-light fixed-top" id="mainNav">
              <a class="navbar-brand" href="/">PhysioNet</a>
              <ul class="navbar-nav ml-auto">
                <li class="nav-item"><a class="nav-link" href="/about/database/">Data</a></li>
                \(account)
              </ul>
            </nav>
            <main>
            <div class="container">
            \(content)
            </div>
            </main>
            </body>
            </html>

            """
    }

    /// HTML escaping for text and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#x27;"
            default: out.append(character)
            }
        }
        return out
    }
}
