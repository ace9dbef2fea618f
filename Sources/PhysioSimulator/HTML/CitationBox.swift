/// The project page's citation box, as `project/citation_box.html` renders it (docs/protocol.md §11): "When using
/// this resource, please cite:" with the APA citation, a `citationModal` with a table of the five styles, and,
/// where the site enables it, PhysioNet's own citation with its `citationModalPlatform`.
enum CitationBox {
    /// The platform citation in the styles a deployment configures (`PLATFORM_WIDE_CITATION_<STYLE>`), in the
    /// settings' order; the page shows the first one and tables them all. Plain text, escaped when rendered.
    static let platformCitations: [(style: String, text: String)] = [
        ("APA", "Goldberger, A., Amaral, L., Glass, L., Hausdorff, J., Ivanov, P. C., Mark, R., ... & Stanley, H. E. (2000). PhysioBank, PhysioToolkit, and PhysioNet: Components of a new research resource for complex physiologic signals. Circulation [Online]. 101 (23), pp. e215–e220. RRID:SCR_007345."),
        ("MLA", "Goldberger, A., et al. \"PhysioBank, PhysioToolkit, and PhysioNet: Components of a new research resource for complex physiologic signals. Circulation [Online]. 101 (23), pp. e215–e220.\" (2000). RRID:SCR_007345."),
        ("CHICAGO", "Goldberger, A., L. Amaral, L. Glass, J. Hausdorff, P. C. Ivanov, R. Mark, J. E. Mietus, G. B. Moody, C. K. Peng, and H. E. Stanley. \"PhysioBank, PhysioToolkit, and PhysioNet: Components of a new research resource for complex physiologic signals. Circulation [Online]. 101 (23), pp. e215–e220.\" (2000). RRID:SCR_007345."),
        ("HARVARD", "Goldberger, A., Amaral, L., Glass, L., Hausdorff, J., Ivanov, P.C., Mark, R., Mietus, J.E., Moody, G.B., Peng, C.K. and Stanley, H.E., 2000. PhysioBank, PhysioToolkit, and PhysioNet: Components of a new research resource for complex physiologic signals. Circulation [Online]. 101 (23), pp. e215–e220. RRID:SCR_007345."),
        ("VANCOUVER", "Goldberger A, Amaral L, Glass L, Hausdorff J, Ivanov PC, Mark R, Mietus JE, Moody GB, Peng CK, Stanley HE. PhysioBank, PhysioToolkit, and PhysioNet: Components of a new research resource for complex physiologic signals. Circulation [Online]. 2000;101(23):e215–e220. RRID:SCR_007345."),
    ]

    /// The box, placed below the page header; empty for a version without a DOI, as the page of a legacy project
    /// has no citation table.
    static func html(project: FixtureProject, version: FixtureVersion, platformCitation: Bool) -> String {
        guard let citation = VersionCitation(project: project, version: version) else { return "" }
        let apa = citation.apa
        var box = """
            <div class="alert alert-secondary">
              <p>
                <strong>When using this resource, please cite: </strong>
                <a href="#citationModal" data-toggle="modal">(show more options)</a>
                <br><span>\(apa)</span>
              </p>

            """
        box += modal(id: "citationModal", rows: citation.all)
        if platformCitation, let main = platformCitations.first {
            box += """
                  <p>
                    <strong>Please include the standard citation for \(VersionCitation.platformName):</strong>
                    <a href="#citationModalPlatform" data-toggle="modal">(show more options)</a>
                    <br><span>\(PageLayout.escape(main.text))</span>
                  </p>

                """
            box += modal(
                id: "citationModalPlatform", rows: platformCitations.map { (style: $0.style, html: PageLayout.escape($0.text)) })
        }
        return box + "</div>\n"
    }

    /// `modal_start.html`, a table with one `<tr><th>style</th><td>citation</td></tr>` per style (cells already
    /// HTML), `modal_end.html`.
    private static func modal(id: String, rows: [(style: String, html: String)]) -> String {
        let table = rows.map { "<tr><th>\($0.style)</th><td>\($0.html)</td></tr>" }.joined(separator: "\n")
        return """
            <div class="modal fade" id="\(id)">
              <div class="modal-dialog citation" role="document">
                <div class="modal-content">
                  <div class="modal-header">
                    <h5 class="modal-title">Cite</h5>
                    <button type="button" class="close" data-dismiss="modal" aria-label="Close">
                      <span aria-hidden="true">&times;</span>
                    </button>
                  </div>
                  <div class="modal-body">
            <table><tbody>
            \(table)
            </tbody></table>
                  </div>
                </div>
              </div>
            </div>

            """
    }
}
