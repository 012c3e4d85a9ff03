package data

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"mppmap/data/pdate"
	"mppmap/geo"
)

// LoadSnapshot reads everything the public surfaces need in one repeatable-read transaction
// and builds the read model, including the pre-encoded GeoJSON layers.
func LoadSnapshot(ctx context.Context, pool *pgxpool.Pool) (*Snapshot, error) {
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	s := Snapshot{LoadedAt: time.Now().UTC(), Sources: map[string]Source{}, Layers: map[Level]*Body{},
		Geometry: map[Level]map[string][]byte{}, History: map[string][]StatusChange{},
		Values: map[string][]IndicatorValue{}, Neighbours: map[string][]Neighbour{}}
	steps := []struct {
		name string
		fn   func(context.Context, pgx.Tx, *Snapshot) error
	}{
		{"provinces", loadProvinces}, {"regions", loadRegions}, {"sources", loadSources}, {"datasets", loadDatasets},
		{"status history", loadHistory}, {"sites", loadSites}, {"national counts", loadNationalCounts},
		{"targets", loadTargets}, {"inhibitors", loadInhibitors}, {"indicators", loadIndicators},
		{"indicator values", loadIndicatorValues}, {"neighbours", loadNeighbours},
	}
	for _, st := range steps {
		if err := st.fn(ctx, tx, &s); err != nil {
			return nil, fmt.Errorf("load %s: %w", st.name, err)
		}
	}
	snap := NewSnapshot(s)
	for _, l := range Levels {
		b, err := loadLayer(ctx, tx, snap, l)
		if err != nil {
			return nil, fmt.Errorf("load %s layer: %w", l, err)
		}
		if b != nil {
			snap.Layers[l] = b
		}
	}
	return snap, nil
}

func loadProvinces(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT code, name, kabupaten_count, kota_count FROM province ORDER BY code`)
	if err != nil {
		return err
	}
	s.Provinces, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Province, error) {
		var p Province
		err := r.Scan(&p.Code, &p.Name, &p.KabupatenCount, &p.KotaCount)
		return p, err
	})
	return err
}

func loadRegions(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `
		SELECT r.code, r.name, r.province_code, p.name, r.kind, coalesce(r.area_km2, 0),
		       coalesce(st.status, 'unknown'), st.as_of, st.first_known,
		       coalesce(st.evidence, ''), coalesce(st.source_ids, '{}'), coalesce(st.note, '')
		FROM region r
		JOIN province p ON p.code = r.province_code
		LEFT JOIN region_status st ON st.region_code = r.code
		ORDER BY r.code`)
	if err != nil {
		return err
	}
	s.Regions, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Region, error) {
		var r Region
		var asOf, first dbDate
		err := row.Scan(&r.Code, &r.Name, &r.ProvinceCode, &r.ProvinceName, &r.Kind, &r.AreaKm2,
			&r.Status, &asOf.s, &first.s, &r.Evidence, &r.SourceIDs, &r.Note)
		r.StatusAsOf, r.FirstKnown = asOf.date(), first.date()
		return r, err
	})
	if err != nil {
		return err
	}
	for _, r := range s.Regions {
		if t := r.StatusAsOf.Latest(); !r.StatusAsOf.IsZero() && t.After(s.DataAsOf) {
			s.DataAsOf = t
		}
	}
	return nil
}

func loadSources(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT id, address, description, published, date_note FROM source`)
	if err != nil {
		return err
	}
	var src Source
	var d dbDate
	_, err = pgx.ForEachRow(rows, []any{&src.ID, &src.Address, &src.Description, &d.s, &src.DateNote}, func() error {
		src.Published = d.date()
		s.Sources[src.ID] = src
		return nil
	})
	return err
}

func loadDatasets(ctx context.Context, tx pgx.Tx, s *Snapshot) error {
	rows, err := tx.Query(ctx, `SELECT path, sha256, title, publisher, licence, attribution, upstream, as_of, imported_at
		FROM dataset_file ORDER BY path`)
	if err != nil {
		return err
	}
	s.Datasets, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (DatasetFile, error) {
		var d DatasetFile
		err := r.Scan(&d.Path, &d.SHA256, &d.Title, &d.Publisher, &d.Licence, &d.Attribution, &d.Upstream, &d.AsOf, &d.ImportedAt)
		return d, err
	})
	for _, d := range s.Datasets {
		if d.ImportedAt.After(s.ImportedAt) {
			s.ImportedAt = d.ImportedAt
		}
	}
	return err
}

// layerDecimals is the coordinate precision written per level: the grid geo snapped the level
// to, so printing loses nothing the coverage checks were made on.
var layerDecimals = map[Level]int{
	LevelNational: geo.LevelNational.Decimals,
	LevelProvince: geo.LevelProvince.Decimals,
	LevelFull:     geo.LevelFull.Decimals,
}

// loadLayer encodes one detail level as an RFC 7946 FeatureCollection. It returns nil when the
// level has no geometry yet.
func loadLayer(ctx context.Context, tx pgx.Tx, s *Snapshot, level Level) (*Body, error) {
	rows, err := tx.Query(ctx, `SELECT region_code, ST_AsBinary(geom) FROM region_geom_level WHERE level = $1 ORDER BY region_code`,
		string(level))
	if err != nil {
		return nil, err
	}
	var code string
	var raw []byte
	geoms := map[string][]byte{}
	_, err = pgx.ForEachRow(rows, []any{&code, &raw}, func() error {
		g, err := wkb.Unmarshal(raw)
		if err != nil {
			return fmt.Errorf("geometry of %s: %w", code, err)
		}
		mp, ok := g.(orb.MultiPolygon)
		if !ok {
			return fmt.Errorf("geometry of %s: %s, want MultiPolygon", code, g.GeoJSONType())
		}
		if _, ok := s.Region(code); !ok {
			return fmt.Errorf("geometry for unknown region %s", code)
		}
		geoms[code] = geo.AppendGeoJSONGeometry(nil, mp, layerDecimals[level])
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(geoms) == 0 {
		return nil, nil
	}
	if s.Geometry != nil {
		s.Geometry[level] = geoms
	}
	fc, err := FeatureCollection(s, geoms, "", nil, FeatureProps)
	if err != nil {
		return nil, err
	}
	return NewBody("application/geo+json", fc)
}

// FeatureCollection writes the regions that have a geometry in geoms (of one province, or all
// when prov is empty) as an RFC 7946 FeatureCollection, in the snapshot's region order, with
// props(r) as each feature's properties; extra top-level members (attribution) come first, in
// key order. geoms holds GeoJSON geometry objects already encoded.
func FeatureCollection(s *Snapshot, geoms map[string][]byte, prov string, extra map[string]any, props func(Region) any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(`{"type":"FeatureCollection",`)
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		vb, err := json.Marshal(extra[k])
		if err != nil {
			return nil, fmt.Errorf("member %s: %w", k, err)
		}
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(vb)
		buf.WriteByte(',')
	}
	buf.WriteString(`"features":[`)
	n := 0
	for _, r := range s.Regions {
		g, ok := geoms[r.Code]
		if !ok || (prov != "" && r.ProvinceCode != prov) {
			continue
		}
		pb, err := json.Marshal(props(r))
		if err != nil {
			return nil, fmt.Errorf("properties of %s: %w", r.Code, err)
		}
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		buf.WriteString(`{"type":"Feature","properties":`)
		buf.Write(pb)
		buf.WriteString(`,"geometry":`)
		buf.Write(g)
		buf.WriteByte('}')
	}
	buf.WriteString(`]}`)
	return buf.Bytes(), nil
}

// FeatureProps are the properties of a region in the GeoJSON layers.
type featureProps struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	ProvinceCode string `json:"province_code"`
	ProvinceName string `json:"province_name"`
	Kind         string `json:"kind"`
	Status       Status `json:"status"`
	StatusAsOf   string `json:"status_as_of"`
}

// FeatureProps returns the GeoJSON properties of r; status_as_of keeps the source's precision
// ("2024-06", "<=2022") and is empty when unknown.
func FeatureProps(r Region) any {
	return featureProps{r.Code, r.Name, r.ProvinceCode, r.ProvinceName, r.Kind, r.Status, r.StatusAsOf.String()}
}

// NewBody encodes raw once: gzip and brotli copies and a strong ETag from its SHA-256. Bodies
// are built once per snapshot (or on first request), so both use their best compression, except
// that bodies over brotliBigBody get a fast brotli quality. The brotli copy is kept only when it
// is smaller than the gzip one (Brotli is nil otherwise).
func NewBody(contentType string, raw []byte) (*Body, error) {
	sum := sha256.Sum256(raw)
	var gz bytes.Buffer
	w, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	quality := brotli.BestCompression
	if len(raw) > brotliBigBody {
		quality = brotliBigQuality
	}
	var br bytes.Buffer
	// The window need not exceed the body: a 20 KB profile gets a 32 KB window, not brotli's
	// default 4 MB, which keeps the encoder's scratch memory (and the server's RSS) small.
	lgwin := 16
	for lgwin < 24 && 1<<lgwin < len(raw) {
		lgwin++
	}
	bw := brotli.NewWriterOptions(&br, brotli.WriterOptions{Quality: quality, LGWin: lgwin})
	if _, err := bw.Write(raw); err != nil {
		return nil, err
	}
	if err := bw.Close(); err != nil {
		return nil, err
	}
	brBytes := br.Bytes()
	if len(brBytes) >= gz.Len() {
		brBytes = nil // serveBody falls back to gzip
	}
	return &Body{ContentType: contentType, Raw: raw, Gzip: gz.Bytes(), Brotli: brBytes,
		ETag: `"` + hex.EncodeToString(sum[:12]) + `"`}, nil
}

// Bodies larger than brotliBigBody are brotli-compressed at brotliBigQuality, not 11: on 3.3 MB
// of boundary GeoJSON quality 11 takes ~9 s (620 KB), 10 ~6 s, 5 0.2 s (936 KB, no better than
// gzip -9's 928 KB; qualities 5–9 are within 2% of each other). Small bodies at 11: the 280 KB
// national layer takes ~0.7 s and comes out 23% smaller than gzip.
const (
	brotliBigBody    = 1 << 20
	brotliBigQuality = 5
)

// dbDate scans a nullable pdate column.
type dbDate struct{ s *string }

func (d dbDate) date() pdate.Date {
	if d.s == nil {
		return pdate.Date{}
	}
	// The schema's pdate domain only admits the notations Parse reads.
	dt, _ := pdate.Parse(*d.s)
	return dt
}
