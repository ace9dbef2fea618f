import Foundation

/// HTML built from the markers docs/protocol.md quotes (§2, §11, §13), with the layout noise real pages have:
/// navbar, comments, attribute order changes, extra whitespace.
enum PageFixtures {
    static func navbar(user: String?) -> String {
        // Anonymous pages carry the same dropdown toggle, with the word "Account" (docs/protocol.md §2).
        guard let user else {
            return """
                <nav><ul class="navbar-nav"><li class="nav-item dropdown">
                  <a class="nav-link dropdown-toggle" href="#" id="nav_account_dropdown" data-toggle="dropdown">Account</a>
                  <div class="dropdown-menu"><a id="nav_login" class="dropdown-item" href="/login/">Log In</a>
                  <a id="nav_register" class="dropdown-item" href="/register/">Register</a></div>
                </li></ul></nav>
                """
        }
        return """
            <nav><ul class="navbar-nav"><li class="nav-item dropdown">
              <a class="nav-link dropdown-toggle" href="#" id="nav_account_dropdown" data-toggle="dropdown">
                <i class="fa fa-user"></i> \(user)
              </a>
              <div class="dropdown-menu"><a class="dropdown-item" id="nav_logout" href="/logout/">Logout</a></div>
            </li></ul></nav>
            """
    }

    static func page(user: String?, main: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>PhysioNet</title>
        <script>var x = "<div class='alert alert-danger'>not real</div>";</script></head>
        <body>\(navbar(user: user))<main class="container">\(main)</main></body></html>
        """
    }

    enum Badge: String {
        case open = #"<span class="badge badge-success"><i class="fas fa-lock-open"></i> Open Access</span>"#
        case restricted = #"<span class="badge badge-warning"><i class="fas fa-unlock-alt"></i> Restricted Access</span>"#
        case credentialed = #"<span class="badge badge-danger"><i class="fas fa-lock"></i> Credentialed Access</span>"#
        case contributor = #"<span class="badge badge-danger"><i class="fas fa-lock"></i> Contributor Review</span>"#
    }

    static let credentialingItem = #"<li>be a <a href="/settings/credentialing/">credentialed user</a></li>"#
    static func trainingItem(slug: String, version: String) -> String {
        """
        <li>complete required training:</li>
          <ul><li><a href="/content/\(slug)/view-required-training/\(version)/#3">CITI Data or Specimens Only Research</a></li>
          You may submit your training <a href="/settings/training/">here</a>.</ul>
        """
    }
    static let restrictedTrainingItem = #"<li>finish required <a href="/settings/training/">training</a></li>"#
    static func duaItem(slug: String, version: String) -> String {
        #"<li><a href="/sign-dua/\#(slug)/\#(version)/">sign the data use agreement</a> for the project</li>"#
    }
    static func contributorItem(slug: String, version: String) -> String {
        #"<li><a href="/request-access-status/\#(slug)/\#(version)/">submit a request to the authors</a> to use the data for your project</li>"#
    }

    static func restrictedAlert(items: [String]) -> String {
        """
        <div role="alert" class="alert alert-danger col-md-8">
          This is a restricted-access resource. To access the files, you must fulfill all of the following requirements:
          <ul>
            \(items.joined(separator: "\n    "))
          </ul>
        </div>
        """
    }

    static func accessibleFiles(slug: String, version: String, user: String?) -> String {
        let userFlag = user.map { " --user \($0) --ask-password" } ?? ""
        return """
            <p>Total uncompressed size: 12.5 MB.</p>
            <h5>Access the files</h5>
            <ul><li><a href="/content/\(slug)/get-zip/\(version)/">Download the ZIP file</a> (10.1 MB)</li>
            <li>Download the files using your terminal:
            <pre class="shell-command">wget -r -N -c -np\(userFlag) https://physionet.org/files/\(slug)/\(version)/</pre></li></ul>
            """
    }

    /// A project page; `files` is the content after `<h2 id="files">Files</h2>`.
    static func project(
        slug: String = "mimiciv", version: String = "3.1", title: String = "MIMIC-IV", badge: Badge = .credentialed,
        latest: Bool = true, dua: String? = "PhysioNet Credentialed Health Data Use Agreement 1.5.0",
        trainings: Bool = true, user: String? = nil, files: String
    ) -> String {
        let notLatest = latest ? "" : """
            <a href="/content/\(slug)/">&lt;View latest version&gt;</a>
            <div class="alert alert-warning">This is <strong>not</strong> the latest version.</div>
            """
        let duaCard = dua.map { "<strong>Data Use Agreement:</strong><br><a href=\"/content/\(slug)/view-dua/\(version)/\">\($0)</a>" } ?? ""
        let trainingCard = trainings ? """
            <strong>Required training:</strong><br>
            <a href="/content/\(slug)/view-required-training/\(version)/#3"><i class="fa fa-book"></i> CITI Data or Specimens Only Research</a>
            """ : ""
        return page(user: user, main: """
            <p>Database \(badge.rawValue)</p>
            <h1 class="form-signin-heading">\(title)</h1>
            <!-- wfdb-python: <p>Version: 0.0</p> -->
            <p>Published: Oct. 11, 2024. Version: \(version)</p>
            \(notLatest)
            <div class="card"><div class="card-body">
              <strong>Access Policy:</strong><br>Only credentialed users who sign the DUA can access the files.<br>
              \(duaCard)<br>\(trainingCard)
            </div></div>
            <h2 id="files">Files</h2>
            \(files)
            <h2 id="versions">Versions</h2>
            <p>This project is no longer available in 0.9? Not a marker outside the files section.</p>
            """)
    }

    /// A project page laid out as the real application serves it (docs/protocol.md §11): the resource-type badge
    /// before the access badge, no versions card (one version), and the access card's training link missing the
    /// `>` of its start tag, so the name runs on from the `href`'s closing quote.
    static func projectAsServed(slug: String = "mimiciv", version: String = "3.1", user: String?, files: String) -> String {
        page(user: user, main: """
            <h1 class="form-signin-heading">MIMIC-IV</h1>
            <p><span class="badge badge-dark">Database</span> \(Badge.credentialed.rawValue)</p>
            <p>Published: Oct. 11, 2024. Version: \(version)</p>
            <div class="card"><div class="card-body">
              <p><strong>Access Policy:</strong><br>Only credentialed users who sign the DUA can access the files.</p>
              <p><strong>Data Use Agreement:</strong><br><a href="/content/\(slug)/view-dua/\(version)/">PhysioNet Credentialed Health Data Use Agreement 1.5.0</a></p>
              <p><strong>Required training:</strong><br>
              <a href="/content/\(slug)/view-required-training/\(version)/#1"CITI Data or Specimens Only Research</a>
              </p>
            </div></div>
            <hr>
            <h2 id="files">Files</h2>
            \(files)
            """)
    }

    static let credentialed = page(user: "alice", main: """
        <div class="alert alert-warning">
          <p><i class="fas fa-check" style="color:green"></i> Your account was successfully credentialed on Jan. 5, 2021, 3:45 p.m.</p>
        </div>
        """)
    static let pending = page(user: "alice", main: """
        <div class="alert alert-warning">
          <p><b>Your credentialing application was submitted on March 3, 2024</b>.</p>
          <p>Status of your application: Awaiting a response from reference.</p>
          <p>We aim to reach a decision within one week. Thank you.</p>
        </div>
        """)
    static let notCredentialed = page(user: "alice", main: """
        <div class="alert alert-form alert-warning alert-dismissible">Credentialing applications are paused.</div>
        <div class="alert alert-warning">
          <p>Your account is not credentialed. You may <a href="/credential-application/">apply for access</a>.</p>
        </div>
        """)

    /// The pending page as served (docs/protocol.md §13): the submission date with its time, then a withdraw form.
    static let pendingAsServed = page(user: "alice", main: """
        <h1>Credentialing</h1>
        <div class="alert alert-warning">
          <p><b>Your credentialing application was submitted on March 3, 2024, 10:15 a.m.</b>.</p>
          <p>Status of your application: Awaiting review.</p>
          <p>We aim to reach a decision within one week. Please check back later.</p>
          <form action="/settings/credentialing/" method="post">
            <input type="hidden" name="csrfmiddlewaretoken" value="tok">
            <button class="btn btn-danger" name="withdraw_credentialing" type="submit">Withdraw Application</button>
          </form>
        </div>
        """)

    /// The certification page as served (docs/protocol.md §13): `<h1>Certification</h1>`, each group in `div.mb-3`, an
    /// empty group's `<ul>` holding `<p>N/A</p>`; followed by the site footer's link lists.
    static func certificationAsServed(active: [String] = [], rejected: [String] = []) -> String {
        func group(_ title: String, _ names: [String]) -> String {
            let items = names.isEmpty ? "<p>N/A</p>" : names.enumerated().map { index, name in
                """
                <li class="list-group-item d-flex justify-content-between align-items-center"><div>\(name) </div> <a href="/settings/training/\(index + 7)/" class="btn btn-sm btn-primary" role="button">View</a></li>
                """
            }.joined(separator: "\n")
            return "<div class=\"mb-3\">\n<h4>\(title)</h4>\n<ul class=\"list-group\">\n\(items)\n</ul>\n</div>\n"
        }
        let groups = group("Under review", []) + group("Active", active) + group("Expired", []) + group("Rejected", rejected)
        return page(user: "alice", main: "<h1>Certification</h1>\n\(groups)")
            .replacingOccurrences(of: "</main>", with: """
                </main>
                <footer><ul class="list-unstyled"><li><a href="/about/">About</a></li><li>Contact</li></ul></footer>
                """)
    }

    static func certification(underReview: [String] = [], active: [String] = [], expired: [String] = [], rejected: [String] = []) -> String {
        func group(_ title: String, _ names: [String]) -> String {
            let body = names.isEmpty ? "<p>N/A</p>" : "<ul class=\"list-group\">" + names.enumerated().map { index, name in
                """
                <li class="list-group-item d-flex justify-content-between align-items-center"><div>\(name) </div> <a href="/settings/training/\(index + 7)/" class="btn btn-sm btn-primary" role="button">View</a></li>
                """
            }.joined() + "</ul>"
            return "<h4>\(title)</h4>\n\(body)\n"
        }
        return page(user: "alice", main: group("Under review", underReview) + group("Active", active)
            + group("Expired", expired) + group("Rejected", rejected))
    }

    static func agreements(_ rows: [(String, String, String)]) -> String {
        guard !rows.isEmpty else {
            return page(user: "alice", main: "<h2>Data Use Agreements</h2><p>No agreements found.</p>")
        }
        let body = rows.enumerated().map { index, row in
            "<tr><td>\(row.0)</td><td>\(row.1)</td><td>\(row.2)</td><td><a href=\"/settings/agreements/\(index)/\" class=\"btn\">View</a></td></tr>"
        }.joined(separator: "\n")
        return page(user: "alice", main: """
            <h2>Data Use Agreements</h2>
            <p>You have signed the following Data Use Agreements:</p> <table class="table">
            <tr><th>Date</th><th>Agreement</th><th>Project</th><th></th></tr>
            \(body)
            </table>
            """)
    }

    static let loginForm = page(user: nil, main: """
        <form action="/login/" method="post" class="form-signin">
        <input type="hidden" name="csrfmiddlewaretoken" value="formtoken0123456789">
        <input type="text" name="username" autofocus class="form-control" placeholder="Email or Username" maxlength="50" required id="id_username">
        <input type="password" name="password" class="form-control" placeholder="Password" required id="id_password">
        <input type="hidden" name="next" value="" />
        <button id="login" class="btn btn-lg btn-primary btn-block" type="submit">Log In</button>
        </form>
        """)

    static let wrongPassword = page(user: nil, main: """
        <div class="alert alert-danger"><strong>Please enter a correct username/email and password. Note that the password field is case-sensitive.</strong></div>
        """) + loginForm

    /// PhysioNet's own 403 page, which it also renders for a CSRF failure: no reason given (docs/protocol.md §2).
    static let forbidden = page(user: nil, main: """
        <h1>Forbidden Access<br />(403)</h1>
        <p>You dont have access to see this page.</p>
        """)

    static func csrfFailure(_ reason: String) -> String {
        """
        <html><body><div id="summary"><h1>Forbidden <span>(403)</span></h1>
        <p>CSRF verification failed. Request aborted.</p></div>
        <div id="info"><p>Reason given for failure:</p><pre>
            \(reason)
            </pre></div></body></html>
        """
    }
}
