package dashboard

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"mppmap/figures/figurestest"
)

var svgLinkRe = regexp.MustCompile(`<a class="svg-download" href="(/unduh/[^"]+)" download>`)

// TestMapSVGDownloads follows every map page's SVG link: the file is well-formed XML with an
// <svg> root, an attachment, and carries its title, the as-of day, the source line, the legend
// and the boundary attribution as text; each region of the page's map is in it.
func TestMapSVGDownloads(t *testing.T) {
	app := newFixtureApp(t)
	for _, page := range []string{"/", "/en", "/provinsi/32", "/wilayah/32.73", "/en/wilayah/" + figurestest.HostileCode,
		"/fiskal", "/digital", "/hambatan", "/en/barriers", "/embed/peta"} {
		_, body := get(t, app, page)
		links := svgLinkRe.FindAllStringSubmatch(body, -1)
		if len(links) != 1 {
			t.Errorf("%s: %d SVG download links, want 1", page, len(links))
			continue
		}
		url := links[0][1]
		res, svg := get(t, app, url)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "image/svg+xml") ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment; filename=\"mppmap-") {
			t.Errorf("%s: %s = %d, %s, %s", page, url, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
			continue
		}
		texts, root, paths, err := parseSVG(svg)
		if err != nil || root != "svg" {
			t.Errorf("%s: %s does not parse as SVG (root %q): %v", page, url, root, err)
			continue
		}
		en := strings.Contains(url, "/en/")
		for _, want := range []string{"Cahya DSN", map[bool]string{false: "Data per", true: "Data as of"}[en],
			map[bool]string{false: "KemenPANRB", true: "KemenPANRB"}[en]} {
			if !strings.Contains(texts, want) {
				t.Errorf("%s: %s lacks %q in its text", page, url, want)
			}
		}
		if paths == 0 || paths != strings.Count(body, `<path id="`) {
			t.Errorf("%s: %s has %d region paths, the page's map %d", page, url, paths, strings.Count(body, `<path id="`))
		}
	}
	for _, bad := range []string{"/unduh/id/national.png", "/unduh/xx/national.svg", "/unduh/id/province-99.svg", "/unduh/id/locator-99.99.svg",
		"/unduh/id/inhibitors-nope.svg", "/unduh/id/anything.svg"} {
		if res, _ := get(t, app, bad); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", bad, res.StatusCode)
		}
	}
}

// parseSVG decodes an SVG file strictly: its root element's name, all its character data, and
// the number of region paths (<path data-code>).
func parseSVG(doc string) (texts, root string, paths int, err error) {
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = true
	var b strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return b.String(), root, paths, nil
		}
		if err != nil {
			return "", root, 0, err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tk.Name.Local
			}
			if tk.Name.Local == "path" {
				for _, a := range tk.Attr {
					if a.Name.Local == "data-code" {
						paths++
					}
				}
			}
		case xml.CharData:
			b.Write(tk)
			b.WriteByte(' ')
		}
	}
}
