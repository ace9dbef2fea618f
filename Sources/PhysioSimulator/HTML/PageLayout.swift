/// The site chrome every Django page shares: navbar markers (§2.4) around the page's own content.
enum PageLayout {
    static func render(title: String, user: FixtureUser?, content: String) -> String {
        let account: String
        if let user {
            account = """
                <li class="nav-item dropdown">
                  <a class="nav-link dropdown-toggle" href="#" id="nav_account_dropdown" data-toggle="dropdown"><i class="fa fa-user"></i> \(escape(user.username))</a>
                  <div class="dropdown-menu">
                    <a class="dropdown-item" href="/settings/profile/">Settings</a>
                    <a id="nav_logout" class="dropdown-item" href="/logout/">Log Out</a>
                  </div>
                </li>
                """
        } else {
            account = """
                <li class="nav-item"><a class="nav-link" id="nav_login" href="/login/">Account</a></li>
                """
        }
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
