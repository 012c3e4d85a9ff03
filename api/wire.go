package api

import (
	"encoding/json"
	"regexp"
	"time"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/figures"
	"mppmap/respond"
)

// The wire types shared by several endpoints. They format figures; none computes one.

// sourceJSON is a source resolved to its address and date.
type sourceJSON struct {
	ID          string `json:"id"`
	Address     string `json:"address"`
	Description string `json:"description"`
	Published   string `json:"published"` // with its precision; "" when the source has no date
	DateNote    string `json:"date_note,omitempty"`
	Missing     bool   `json:"missing,omitempty"` // cited but not in the source list
}

// resolveSources resolves source ids (figures.SortedSources order) to what the API says of each.
func resolveSources(m *figures.Model, ids ...[]string) []sourceJSON {
	out := []sourceJSON{}
	for _, id := range figures.SortedSources(ids...) {
		src, ok := m.Source(id)
		if !ok {
			out = append(out, sourceJSON{ID: id, Missing: true})
			continue
		}
		out = append(out, sourceJSON{ID: id, Address: src.Address, Description: src.Description,
			Published: src.Published.String(), DateNote: src.DateNote})
	}
	return out
}

// regionJSON is a region with its current status, as every list shows it.
type regionJSON struct {
	Code         string      `json:"code"`
	Name         string      `json:"name"`
	ProvinceCode string      `json:"province_code"`
	ProvinceName string      `json:"province_name"`
	Kind         string      `json:"kind"`
	Status       data.Status `json:"status"`
	StatusAsOf   *string     `json:"status_as_of"` // with its precision; null when unknown
	FirstKnown   *string     `json:"first_known"`
	Evidence     string      `json:"evidence"`
	SourceIDs    []string    `json:"source_ids"`
	FiscalGroup  string      `json:"fiscal_group"`
}

func toRegionJSON(r *figures.Region) regionJSON {
	return regionJSON{Code: r.Code, Name: r.Name, ProvinceCode: r.ProvinceCode, ProvinceName: r.ProvinceName,
		Kind: r.Kind, Status: r.Status, StatusAsOf: dateOrNil(r.StatusAsOf), FirstKnown: dateOrNil(r.FirstKnown),
		Evidence: r.Evidence, SourceIDs: nonNil(r.SourceIDs), FiscalGroup: r.FiscalGroup}
}

func dateOrNil(d pdate.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

func precisionOrNil(d pdate.Date) *string {
	if d.IsZero() {
		return nil
	}
	p := string(d.Precision)
	return &p
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func ptr[T any](v T) *T { return &v }

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// meta is the header every JSON response carries.
type meta struct {
	DataAsOf   string `json:"data_as_of"`  // latest as-of date of any region status
	ImportedAt string `json:"imported_at"` // when the reference data last changed
	Licence    string `json:"licence_note"`
}

func (h *Handler) metaOf(m *figures.Model) meta {
	imp := ""
	if !m.Snap.ImportedAt.IsZero() {
		imp = m.Snap.ImportedAt.UTC().Format(time.RFC3339)
	}
	return meta{DataAsOf: day(m.Snap.DataAsOf), ImportedAt: imp, Licence: h.en.T("api.licence_note")}
}

// marshal encodes v as JSON. encoding/json escapes <, > and & so a name like
// "<img src=x onerror=alert(1)>" stays data wherever the JSON is embedded.
func marshal(v any) ([]byte, error) {
	return json.Marshal(v)
}

// jsonBody pre-encodes v for a Model.
func jsonBody(v any) (*respond.Body, error) {
	raw, err := marshal(v)
	if err != nil {
		return nil, err
	}
	return respond.New("application/json", raw)
}

var (
	provinceCodeRE = regexp.MustCompile(`^[0-9]{2}$`)
	regionCodeRE   = regexp.MustCompile(`^[0-9]{2}\.[0-9]{2}$`)
	sourceIDRE     = regexp.MustCompile(`^S[0-9]+$`)
)
