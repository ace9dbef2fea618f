import Testing

@testable import PhysioKit

@Suite("HTMLScanner")
struct HTMLScannerTests {
    @Test("comments and script bodies are invisible; entities are decoded")
    func invisibleParts() {
        let page = HTMLScanner("<p>A &amp; B &lt;ok&gt; &#39;x&#x27;</p><!-- <p>hidden</p> --><script>if (a < b) { '<p>no</p>' }</script>")
        #expect(page.text == "A & B <ok> 'x'")
        #expect(page.elements("p").count == 1)
    }

    @Test("attributes in any order, case and quoting; `>` inside quotes")
    func attributes() {
        let page = HTMLScanner(#"<A title="a > b" HREF='/x/'>one</A><a href=/y/ class=k>two</a>"#)
        #expect(page.links.map(\.href) == ["/x/", "/y/"])
        #expect(page.links.map(\.text) == ["one", "two"])
    }

    @Test("nested elements of the same name close at the matching end tag")
    func nesting() {
        let page = HTMLScanner("<div class=outer>a<div>b</div>c</div><div>d</div>")
        #expect(page.elements("div", where: { HTMLScanner.hasClass("outer", $0) }).first?.text == "a b c")
    }

    @Test("text after a label runs to the next block tag")
    func textRun() {
        let page = HTMLScanner("<p>Status of your application: <b>Awaiting</b> review.</p><p>Next</p>")
        #expect(page.textRun(after: "status of your application:") == "Awaiting review.")
    }

    @Test("a start tag missing its '>' ends at the quote when its text runs into a tag (§3.10)")
    func missingTagEnd() {
        let page = HTMLScanner(#"<p><a href="/t/#1"CITI Data or Specimens Only Research</a> <a href="/next/">Next</a></p>"#)
        #expect(page.links.map(\.href) == ["/t/#1", "/next/"])
        #expect(page.links.map(\.text) == ["CITI Data or Specimens Only Research", "Next"])
        // Attributes glued together are still one tag: the text after the quote meets a quote, not a tag.
        let glued = HTMLScanner(#"<a href="/x"title="X">link</a>"#)
        #expect(glued.tokens.first == .start(name: "a", attributes: ["href": "/x", "title": "X"]))
        #expect(glued.links.map(\.text) == ["link"])
    }
}
