package api

import (
	"encoding/xml"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/progress"
)

type statusAtJSON struct {
	Code   string      `json:"code" vocab:"region_code"`
	Name   string      `json:"name"`
	Status data.Status `json:"status" description:"Status on as_of. unknown when the sources say nothing for that day (or only a month or year that includes it)."`
	Since  *string     `json:"since" vocab:"pdate" description:"The date the status rests on, at its source's precision; null when none."`
	Reason string      `json:"reason" vocab:"status_reason" description:"Why: site_opened, opened_later, date_precision (the source's month or year includes the day), recorded_status, no_mpp_at_later_date, first_known, before_first_known, no_source."`
}

type statusResponse struct {
	Meta    meta                `json:"meta"`
	AsOf    string              `json:"as_of" vocab:"day" description:"The day asked for (or the data's last date)."`
	Counts  map[data.Status]int `json:"counts" description:"Number of kab/kota per status on as_of."`
	Regions []statusAtJSON      `json:"regions" description:"Every kab/kota, in code order."`
	Method  string              `json:"method"`
}

func parseDay(param, v string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", v)
	if err != nil || len(v) != 10 || t.Year() < 1945 || t.Year() > 2100 {
		return time.Time{}, badParam(param, v, "a date YYYY-MM-DD between 1945 and 2100")
	}
	return t, nil
}

func (h *Handler) status(c *fiber.Ctx) error {
	m := h.src.Model()
	at := m.DataEnd
	if c.Context().QueryArgs().Has("as_of") {
		var err error
		if at, err = parseDay("as_of", c.Query("as_of")); err != nil {
			return err
		}
	}
	list, counts := m.StatusesAt(at)
	resp := statusResponse{Meta: h.metaOf(m), AsOf: day(at), Counts: nonNilMap(counts), Regions: []statusAtJSON{},
		Method: h.en.T("progress.method.status_at")}
	for _, rs := range list {
		resp.Regions = append(resp.Regions, toStatusAtJSON(rs))
	}
	return h.sendJSON(c, resp)
}

func toStatusAtJSON(rs progress.RegionStatus) statusAtJSON {
	return statusAtJSON{Code: rs.Code, Name: rs.Name, Status: rs.Status, Since: dateOrNil(rs.Since), Reason: rs.Reason}
}

// ---- changes ----

type changeJSON struct {
	Kind         string       `json:"kind" vocab:"change_kind" description:"site_opened (a dated MPP site), status_changed (a recorded change of status), province_full_coverage (a province's last kab/kota got its MPP)."`
	Date         string       `json:"date" vocab:"pdate" description:"When it happened, at its source's precision."`
	Code         string       `json:"code" description:"The kab/kota code, or the province code for province_full_coverage."`
	Name         string       `json:"name"`
	ProvinceCode string       `json:"province_code" vocab:"province_code"`
	Old          *string      `json:"old_status,omitempty" vocab:"status" description:"status_changed only: the status before."`
	New          *string      `json:"new_status,omitempty" vocab:"status" description:"status_changed only: the status after."`
	Text         string       `json:"text" description:"The change in a sentence (English)."`
	Sources      []sourceJSON `json:"sources"`
}

type changesResponse struct {
	Meta    meta         `json:"meta"`
	From    string       `json:"from" vocab:"day"`
	To      string       `json:"to" vocab:"day"`
	Changes []changeJSON `json:"changes" description:"Changes between from and to, newest first."`
	Method  string       `json:"method"`
}

// parseRange reads the parameters of the changes endpoints, from and to (default: the year up
// to the end of the data); the route has rejected any other (rangeQuery).
func parseRange(c *fiber.Ctx, m *figures.Model) (time.Time, time.Time, error) {
	to := m.DataEnd
	from := to.AddDate(-1, 0, 0)
	var err error
	if c.Context().QueryArgs().Has("from") {
		if from, err = parseDay("from", c.Query("from")); err != nil {
			return from, to, err
		}
	}
	hasTo := c.Context().QueryArgs().Has("to")
	if hasTo {
		if to, err = parseDay("to", c.Query("to")); err != nil {
			return from, to, err
		}
	}
	switch {
	case to.Before(from) && hasTo:
		return from, to, badParam("to", day(to), "a date on or after from ("+day(from)+")")
	case to.Before(from):
		// The parameter at fault is the one the client sent: to is the default.
		return from, to, badParam("from", day(from), "a date on or before to (default: the data's last date, "+day(to)+")")
	}
	return from, to, nil
}

func (h *Handler) changes(c *fiber.Ctx) error {
	m := h.src.Model()
	from, to, err := parseRange(c, m)
	if err != nil {
		return err
	}
	list := []changeJSON{}
	for _, ch := range m.ChangesBetween(from, to) {
		list = append(list, h.toChangeJSON(m, ch))
	}
	return h.sendJSON(c, changesResponse{Meta: h.metaOf(m), From: day(from), To: day(to), Changes: list, Method: h.en.T("progress.method.changes")})
}

// changeText is a change in a sentence (English, as the API writes).
func (h *Handler) changeText(ch figures.Change) string {
	switch ch.Kind {
	case figures.ChangeSiteOpened:
		return h.en.T("changes.site_opened", "Site", ch.Site, "Date", h.en.Date(ch.Date))
	case figures.ChangeStatus:
		return h.en.T("changes.status_changed", "Name", ch.Name, "Old", string(ch.Old), "New", string(ch.New))
	}
	return h.en.T("changes.full_coverage", "Name", ch.Name, "Date", h.en.Date(ch.Date))
}

func (h *Handler) toChangeJSON(m *figures.Model, ch figures.Change) changeJSON {
	cj := changeJSON{Kind: ch.Kind, Date: ch.Date.String(), Code: ch.Code, Name: ch.Name, ProvinceCode: ch.ProvinceCode,
		Text: h.changeText(ch), Sources: resolveSources(m, ch.SourceIDs)}
	if ch.Kind == figures.ChangeStatus {
		cj.Old, cj.New = ptr(string(ch.Old)), ptr(string(ch.New))
	}
	return cj
}

// ---- Atom ----

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Author  atomAuthor  `xml:"author"`
	Rights  string      `xml:"rights"`
	Entries []atomEntry `xml:"entry"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title   string     `xml:"title"`
	ID      string     `xml:"id"`
	Updated string     `xml:"updated"`
	Summary string     `xml:"summary"`
	Links   []atomLink `xml:"link"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

func (h *Handler) changesAtom(c *fiber.Ctx) error {
	m := h.src.Model()
	from, to, err := parseRange(c, m)
	if err != nil {
		return err
	}
	updated := m.Snap.DataAsOf
	if m.Snap.ImportedAt.After(updated) {
		updated = m.Snap.ImportedAt
	}
	feed := atomFeed{Title: h.en.T("changes.feed_title"), ID: "tag:mppmap,2024:changes", Updated: updated.UTC().Format(time.RFC3339),
		Author: atomAuthor{"mppmap"}, Rights: h.en.T("api.licence_note")}
	for _, ch := range m.ChangesBetween(from, to) {
		cj := h.toChangeJSON(m, ch)
		e := atomEntry{Title: cj.Text, ID: fmt.Sprintf("tag:mppmap,2024:%s:%s:%s", ch.Kind, ch.Code, cj.Date),
			Updated: ch.At.UTC().Format(time.RFC3339), Summary: h.en.T("changes.feed_summary", "Text", cj.Text, "Date", cj.Date)}
		for _, src := range cj.Sources {
			if src.Address != "" {
				e.Links = append(e.Links, atomLink{Href: src.Address, Rel: "related"})
			}
		}
		feed.Entries = append(feed.Entries, e)
	}
	raw, err := xml.Marshal(feed)
	if err != nil {
		return err
	}
	b, err := h.enc.Encode("application/atom+xml; charset=utf-8", append([]byte(xml.Header), raw...))
	if err != nil {
		return err
	}
	return serveBody(c, b)
}
