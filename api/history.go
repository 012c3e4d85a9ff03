package api

import (
	"encoding/xml"
	"fmt"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/progress"
)

type statusAtJSON struct {
	Code   string      `json:"code"`
	Name   string      `json:"name"`
	Status data.Status `json:"status"`
	Since  *string     `json:"since"` // the date (with its precision) the status rests on
	Reason string      `json:"reason"`
}

type statusResponse struct {
	Meta    meta                `json:"meta"`
	AsOf    string              `json:"as_of"`
	Counts  map[data.Status]int `json:"counts"`
	Regions []statusAtJSON      `json:"regions"`
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
	if err := checkParams(c, "as_of"); err != nil {
		return err
	}
	s := h.src.Snapshot()
	d := h.derivedOf(s)
	at := d.dataEnd
	if c.Context().QueryArgs().Has("as_of") {
		var err error
		if at, err = parseDay("as_of", c.Query("as_of")); err != nil {
			return err
		}
	}
	list, counts := progress.StatusesAt(s, at)
	resp := statusResponse{Meta: metaOf(s), AsOf: day(at), Counts: counts, Method: progress.StatusAtMethod}
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
	Kind         string       `json:"kind"` // site_opened | status_changed | province_full_coverage
	Date         string       `json:"date"` // with its precision
	Code         string       `json:"code"` // region or province code
	Name         string       `json:"name"`
	ProvinceCode string       `json:"province_code"`
	Old          *string      `json:"old_status,omitempty"`
	New          *string      `json:"new_status,omitempty"`
	Text         string       `json:"text"`
	Sources      []sourceJSON `json:"sources"`
	sortKey      time.Time
}

type changesResponse struct {
	Meta    meta         `json:"meta"`
	From    string       `json:"from"`
	To      string       `json:"to"`
	Changes []changeJSON `json:"changes"`
	Method  string       `json:"method"`
}

const changesMethod = "Newest first. Sites opened: dated sites whose date lies in [from, to] (a month or year counts " +
	"when its period overlaps the range; the date keeps its precision). Status changes: recorded changes of a region's " +
	"status (not the first recording) dated by the source's as-of date, else by when they were recorded. Provinces " +
	"reaching full coverage: the day the last of its kab/kota got a dated MPP."

// parseRange reads the only parameters a changes endpoint takes, from and to (default: the year
// up to the end of the data), and rejects any other.
func (h *Handler) parseRange(c *fiber.Ctx, s *data.Snapshot) (time.Time, time.Time, error) {
	if err := checkParams(c, "from", "to"); err != nil {
		return time.Time{}, time.Time{}, err
	}
	d := h.derivedOf(s)
	to := d.dataEnd
	from := to.AddDate(-1, 0, 0)
	var err error
	if c.Context().QueryArgs().Has("from") {
		if from, err = parseDay("from", c.Query("from")); err != nil {
			return from, to, err
		}
	}
	if c.Context().QueryArgs().Has("to") {
		if to, err = parseDay("to", c.Query("to")); err != nil {
			return from, to, err
		}
	}
	if to.Before(from) {
		return from, to, badParam("to", day(to), "a date on or after from ("+day(from)+")")
	}
	return from, to, nil
}

func (h *Handler) changes(c *fiber.Ctx) error {
	s := h.src.Snapshot()
	from, to, err := h.parseRange(c, s)
	if err != nil {
		return err
	}
	return h.sendJSON(c, changesResponse{Meta: metaOf(s), From: day(from), To: day(to), Changes: h.changeList(s, from, to), Method: changesMethod})
}

func inRange(d pdate.Date, from, to time.Time) bool {
	start := d.Time
	if d.Precision == pdate.Before {
		start = d.Latest()
	}
	return !start.After(to) && !d.Latest().Before(from)
}

func (h *Handler) changeList(s *data.Snapshot, from, to time.Time) []changeJSON {
	out := []changeJSON{}
	for _, x := range s.Sites {
		if x.Inaugurated.IsZero() || !inRange(x.Inaugurated, from, to) {
			continue
		}
		code, name := x.RegionCode, x.Name
		if r, ok := s.Region(code); ok {
			name = r.Name
		}
		out = append(out, changeJSON{Kind: "site_opened", Date: x.Inaugurated.String(), Code: code, Name: name, ProvinceCode: x.ProvinceCode,
			Text: fmt.Sprintf("MPP opened: %s (%s)", x.Name, x.Inaugurated.Format("en")), Sources: resolveSources(s, x.SourceIDs), sortKey: x.Inaugurated.Latest()})
	}
	for _, r := range s.Regions {
		for _, hc := range s.History[r.Code] {
			if hc.Old == "" {
				continue
			}
			when, date := hc.ChangedAt, day(hc.ChangedAt)
			if !hc.AsOf.IsZero() {
				when, date = hc.AsOf.Latest(), hc.AsOf.String()
			}
			if when.Before(from) || when.After(to) {
				continue
			}
			o, n := string(hc.Old), string(hc.New)
			out = append(out, changeJSON{Kind: "status_changed", Date: date, Code: r.Code, Name: r.Name, ProvinceCode: r.ProvinceCode,
				Old: &o, New: &n, Text: fmt.Sprintf("%s: status %s → %s", r.Name, o, n), Sources: resolveSources(s, hc.SourceIDs), sortKey: when})
		}
	}
	d := h.derivedOf(s)
	for _, p := range s.Provinces {
		regs := d.byProvince[p.Code]
		if len(regs) == 0 {
			continue
		}
		var last pdate.Date
		full := true
		for _, r := range regs {
			sd, ok := d.siteDates[r.Code]
			if r.Status != data.StatusYes || !ok {
				full = false
				break
			}
			if last.IsZero() || sd.Latest().After(last.Latest()) {
				last = sd
			}
		}
		if full && inRange(last, from, to) {
			out = append(out, changeJSON{Kind: "province_full_coverage", Date: last.String(), Code: p.Code, Name: p.Name, ProvinceCode: p.Code,
				Text: fmt.Sprintf("%s: every kab/kota has an MPP (%s)", p.Name, last.Format("en")), Sources: []sourceJSON{}, sortKey: last.Latest()})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].sortKey.Equal(out[j].sortKey) {
			return out[i].sortKey.After(out[j].sortKey)
		}
		return out[i].Code < out[j].Code
	})
	return out
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
	s := h.src.Snapshot()
	from, to, err := h.parseRange(c, s)
	if err != nil {
		return err
	}
	updated := s.DataAsOf
	if s.ImportedAt.After(updated) {
		updated = s.ImportedAt
	}
	feed := atomFeed{Title: "mppmap: MPP changes", ID: "tag:mppmap,2024:changes", Updated: updated.UTC().Format(time.RFC3339),
		Author: atomAuthor{"mppmap"}, Rights: licenceNote}
	for _, ch := range h.changeList(s, from, to) {
		e := atomEntry{Title: ch.Text, ID: fmt.Sprintf("tag:mppmap,2024:%s:%s:%s", ch.Kind, ch.Code, ch.Date),
			Updated: ch.sortKey.UTC().Format(time.RFC3339), Summary: ch.Text + " (date as given by the source: " + ch.Date + ")"}
		for _, src := range ch.Sources {
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
	return h.sendRaw(c, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), raw...))
}
