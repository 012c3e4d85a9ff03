package dashboard

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/figures"
	"mppmap/mapsvg"
	"mppmap/respond"
)

// mapPages names, for each kind of map key, the page that draws it (and so records its spec):
// a download asked for before its page was rendered in this Model renders the page first.
func mapPage(key string) (path string, req request, ok bool) {
	kind, arg, _ := strings.Cut(key, ":")
	req = request{Query: map[string]string{}}
	switch kind {
	case "national":
		return "/", req, arg == ""
	case "province":
		req.Code = arg
		return "/provinsi/:code", req, twoDigits.MatchString(arg)
	case "locator":
		req.Code = arg
		return "/wilayah/:code", req, arg != ""
	case "fiscal":
		return "/fiskal", req, arg == ""
	case "digital":
		return "/digital", req, arg == ""
	case "inhibitors":
		if arg != "" {
			req.Query["category"] = arg
		}
		return "/hambatan", req, true
	}
	return "", req, false
}

// serveMapSVG answers /unduh/:lang/:file — a map of a page as a standalone, print-ready SVG
// file: the same regions and colours as the page's map, with its title, the data's as-of day,
// the source line, the legend and the boundaries' attribution inside the file, since a newsroom
// prints the file, not our page around it.
func (h *Handler) serveMapSVG(c *fiber.Ctx) error {
	m := h.src.Model()
	if m == nil {
		return errNotReady
	}
	l := h.langTagged(c.Params("lang"))
	name, ok := strings.CutSuffix(c.Params("file"), ".svg")
	if l == nil || !ok {
		return fiber.ErrNotFound
	}
	key := strings.Replace(utils.CopyString(name), "-", ":", 1)
	spec, err := h.downloadSpec(m, l, key)
	if err != nil {
		return err
	}
	body, err := h.cards.get(m, "svg:"+l.Tag+":"+key, func() (*respond.Body, error) {
		feats := svgFeatures(m, l, spec)
		o := svgOptions(spec)
		o.Background = "#FFFFFF"
		for _, it := range spec.Legend {
			o.Legend = append(o.Legend, mapsvg.LegendItem{Fill: it.Color, Label: it.Label})
		}
		doc, err := mapsvg.RenderDocument(feats, o, mapsvg.Document{
			Heading:     spec.Title,
			Subheading:  l.T("download.svg_as_of", "Date", l.Day(m.Snap.DataAsOf)),
			Source:      l.T("download.svg_source", "Site", h.publicURL+l.path("/metodologi")),
			Attribution: l.T("footer.boundaries"),
		})
		if err != nil {
			return nil, fmt.Errorf("map %s as SVG: %w", key, err)
		}
		return h.comp.New("image/svg+xml; charset=utf-8", doc)
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="mppmap-`+l.Tag+"-"+name+`.svg"`)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	// An SVG opened directly is a document: no script of ours or anyone's runs in it.
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; style-src 'unsafe-inline'")
	return respond.Serve(c, body, respond.CacheData)
}

// downloadSpec is the spec the page of key recorded when it rendered. The page is looked up
// (rendered first when it has not been in m yet — after that the spec is in m's memo, since a
// render records its maps' specs before it returns). A key no page draws is a 404.
func (h *Handler) downloadSpec(m *figures.Model, l *lang, key string) (svgSpec, error) {
	path, req, ok := mapPage(key)
	if !ok {
		return svgSpec{}, fiber.ErrNotFound
	}
	for _, rt := range h.routes() {
		if rt.path != path {
			continue
		}
		// The page's own canonicalisation: a value it would not show is a 404 here, and the
		// memo keys stay the bounded set the page's cache uses.
		var q []string
		canon := map[string]string{}
		for _, p := range rt.params {
			raw, ok := req.Query[p.name]
			if !ok {
				continue
			}
			v, bad := p.canon(m, raw)
			if bad || v != raw {
				return svgSpec{}, fiber.ErrNotFound
			}
			canon[p.name] = v
			q = append(q, p.name+"="+v)
		}
		req.Query = canon
		query := ""
		if len(q) > 0 {
			query = "?" + strings.Join(q, "&")
		}
		if _, err := h.cached(m, l, rt, req, query); err != nil {
			return svgSpec{}, err
		}
	}
	// Only looks: a spec the page did not record is not built here (the failed build is
	// forgotten by the memo).
	spec, err := figures.Memo(m, "svgspec:"+l.Tag+":"+key, func() (svgSpec, error) { return svgSpec{}, fiber.ErrNotFound })
	if err != nil {
		return svgSpec{}, fiber.ErrNotFound
	}
	return spec, nil
}
