package api

import (
	"encoding/json"
	"regexp"
	"time"

	"mppmap/data"
	"mppmap/data/pdate"
	"mppmap/figures"
	"mppmap/progress"
	"mppmap/respond"
)

// The wire types shared by several endpoints. They format figures; none computes one.

// sourceJSON is a source resolved to its address and date.
type sourceJSON struct {
	ID          string `json:"id" vocab:"source_id" description:"Source id, as cited by source_ids elsewhere."`
	Address     string `json:"address" description:"Where the source is: a web address as listed (not checked; it may be any text)."`
	Description string `json:"description" description:"What the source is or says, as listed."`
	Published   string `json:"published" vocab:"pdate_or_empty" description:"Publication date at the precision the source gives (YYYY-MM-DD, YYYY-MM, YYYY, <=DATE); empty when it carries none."`
	DateNote    string `json:"date_note,omitempty" description:"How the date was established, when it needs saying."`
	Missing     bool   `json:"missing,omitempty" description:"true: cited by the data but absent from the source list (only id is set)."`
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
	Code         string      `json:"code" vocab:"region_code" description:"Kemendagri kab/kota code."`
	Name         string      `json:"name" description:"Official name (Kemendagri)."`
	ProvinceCode string      `json:"province_code" vocab:"province_code" description:"Kemendagri code of its province."`
	ProvinceName string      `json:"province_name"`
	Kind         string      `json:"kind" vocab:"kind" description:"kabupaten (regency) or kota (city)."`
	Status       data.Status `json:"status" description:"Current MPP status. unknown means no source yet: never read it as no."`
	StatusAsOf   *string     `json:"status_as_of" vocab:"pdate" description:"Date the status rests on, at its source's precision; null when no source gives one (unknown)."`
	FirstKnown   *string     `json:"first_known" vocab:"pdate" description:"Earliest date a source shows the status; null when no date is known."`
	Evidence     string      `json:"evidence" description:"How the status is established (confirmation level, e.g. confirmed_named, local_news, no_source_found)."`
	SourceIDs    []string    `json:"source_ids" vocab:"source_id" description:"Sources of the status (see /sources); empty for unknown."`
	FiscalGroup  string      `json:"fiscal_group" vocab:"fiscal_group" description:"Fiscal group (quintile of PAD share, own calculation from APBD 2024); no_data without a budget in the data."`
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

// nonNilMap is m, or an empty map for nil: maps are objects on the wire, never null.
func nonNilMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return map[K]V{}
	}
	return m
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
	DataAsOf   string `json:"data_as_of" vocab:"day_or_empty" description:"Latest as-of date of any region status (YYYY-MM-DD): how current the data is."`
	ImportedAt string `json:"imported_at" vocab:"timestamp_or_empty" description:"When the reference data last changed (RFC 3339, UTC); empty before any import."`
	Licence    string `json:"licence_note" description:"Licences and attribution of what this response contains."`
}

// shareJSON is a share with an MPP over one denominator (progress.Share).
type shareJSON struct {
	Denominator string   `json:"denominator" vocab:"denominator" description:"bskdn: every kab/kota (514 nationally); kemenpanrb: the autonomous kab/kota plus DKI Jakarta once (508 + 1)."`
	Units       int      `json:"units" description:"Number of units (kab/kota, or DKI Jakarta as one) under this denominator."`
	WithMPP     int      `json:"with_mpp" description:"Number of those units with an MPP (status yes)."`
	Pct         *float64 `json:"pct" description:"with_mpp of units in percent, rounded to one decimal; null when there are no units."`
}

func toShares(in []progress.Share) []shareJSON {
	out := make([]shareJSON, len(in))
	for i, x := range in {
		out[i] = shareJSON{Denominator: x.Denominator, Units: x.Units, WithMPP: x.WithMPP, Pct: x.Pct}
	}
	return out
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
func (h *Handler) jsonBody(v any) (*respond.Body, error) {
	raw, err := marshal(v)
	if err != nil {
		return nil, err
	}
	return h.comp.New("application/json", raw)
}

var (
	provinceCodeRE = regexp.MustCompile(`^[0-9]{2}$`)
	regionCodeRE   = regexp.MustCompile(`^[0-9]{2}\.[0-9]{2}$`)
	sourceIDRE     = regexp.MustCompile(`^S[0-9]+$`)
)
