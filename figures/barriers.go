package figures

import (
	"slices"
	"sort"

	"mppmap/data"
	"mppmap/progress"
)

// barriers fills what the region page shows for a regional head: its fiscal capacity, where it
// stands on each factor, its recorded findings, the similar regions that made it, its costs and
// digital models.
func (m *Model) barriers(r *Region) {
	s := m.Snap
	for _, per := range s.FiscalPeriods {
		fc := FiscalCapacity{Period: per}
		for i, v := range s.RegionFiscal[r.Code] {
			if v.Period == per.ID {
				fc.Value = &s.RegionFiscal[r.Code][i]
			}
		}
		r.Fiscal = append(r.Fiscal, fc)
	}
	for _, x := range s.Inhibitors {
		if x.Scope == data.ScopeProvince && slices.Contains(x.ProvinceCodes, r.ProvinceCode) && !slices.Contains(x.RegionCodes, r.Code) {
			r.ProvinceInhibitors = append(r.ProvinceInhibitors, x)
		}
	}
	for _, f := range m.Factors.Factors {
		p := Position{Factor: f}
		p.Group, _ = f.Group(f.GroupOf(r.Code))
		if v, ok := f.Value(r.Code); ok {
			p.Value = ptr(v)
		}
		if md, ok := f.Median(); ok {
			p.Median = ptr(md)
		}
		r.Positions = append(r.Positions, p)
	}
	for _, sim := range m.Factors.Similar[r.Code] {
		if o, ok := m.regions[sim.Code]; ok {
			r.Similar = append(r.Similar, SimilarRegion{Region: o, Distance: sim.Distance, Shared: sim.Shared})
		}
	}
	for _, c := range s.Costs {
		if c.RegionCode == r.Code {
			r.Costs = append(r.Costs, c)
		}
	}
	for _, d := range s.Digital {
		if d.RegionCode == r.Code {
			r.Digital = append(r.Digital, d)
		}
	}
}

// InhibitorCategory is one category of recorded inhibiting factors.
type InhibitorCategory struct {
	Category  string
	Findings  []data.Inhibitor // as recorded
	Regions   []string         // kab/kota the findings name, sorted
	Provinces []string         // provinces the findings name as a whole, sorted
	National  int              // findings about the whole country
}

func inhibitorCategories(s *data.Snapshot) []*InhibitorCategory {
	by := map[string]*InhibitorCategory{}
	var out []*InhibitorCategory
	for _, x := range s.Inhibitors {
		c := by[x.Category]
		if c == nil {
			c = &InhibitorCategory{Category: x.Category, Regions: []string{}, Provinces: []string{}}
			by[x.Category] = c
			out = append(out, c)
		}
		c.Findings = append(c.Findings, x)
		for _, code := range x.RegionCodes {
			if !slices.Contains(c.Regions, code) {
				c.Regions = append(c.Regions, code)
			}
		}
		for _, code := range x.ProvinceCodes {
			if !slices.Contains(c.Provinces, code) {
				c.Provinces = append(c.Provinces, code)
			}
		}
		if x.Scope == data.ScopeNational {
			c.National++
		}
	}
	for _, c := range out {
		sort.Strings(c.Regions)
		sort.Strings(c.Provinces)
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].Findings) > len(out[j].Findings) })
	return out
}

// Digital cross-table cells: physical status against a recorded digital model. "None recorded"
// is not "none": the list of regions with a digital MPP is partial (the 199-region list of
// KepmenPANRB 457/2024 is not in the sources).
const (
	DigitalBoth          = "both"            // an MPP and a digital model recorded
	DigitalPhysicalOnly  = "physical_only"   // an MPP, no digital model recorded
	DigitalOnly          = "digital_only"    // no MPP or in preparation (sourced), a digital model recorded
	DigitalNeither       = "neither"         // no MPP or in preparation, no digital model recorded
	DigitalUnknown       = "unknown"         // physical status unknown, no digital model recorded
	DigitalUnknownWithDM = "unknown_digital" // physical status unknown, a digital model recorded
)

// DigitalCells lists the cross-table cells in order.
var DigitalCells = []string{DigitalBoth, DigitalPhysicalOnly, DigitalOnly, DigitalNeither, DigitalUnknownWithDM, DigitalUnknown}

// Digital is the physical × digital view.
type Digital struct {
	Regions []*Region         // regions with a recorded digital model, code order
	Models  map[string]int    // digital model → regions recorded with it
	Cells   map[string]int    // DigitalCells → regions
	CellOf  map[string]string // region code → its cell
	// WithoutPhysical is how many regions with a sourced no or in preparation have a digital
	// channel recorded: what "complementing" means in numbers.
	WithoutPhysical, WithoutPhysicalTotal int
	// Targets are the national targets about the digital channels, assessed.
	Targets []progress.Assessment
}

func digital(m *Model) Digital {
	d := Digital{Models: map[string]int{}, Cells: map[string]int{}, CellOf: map[string]string{}}
	for _, a := range m.National.Progress.Targets {
		if progress.IsDigital(a.Target) {
			d.Targets = append(d.Targets, a)
		}
	}
	for _, c := range DigitalCells {
		d.Cells[c] = 0
	}
	for _, r := range m.Regions {
		has := len(r.Digital) > 0
		if has {
			d.Regions = append(d.Regions, r)
			seen := map[string]bool{}
			for _, x := range r.Digital {
				if !seen[x.Model] {
					seen[x.Model] = true
					d.Models[x.Model]++
				}
			}
		}
		var cell string
		switch {
		case r.Status == data.StatusYes && has:
			cell = DigitalBoth
		case r.Status == data.StatusYes:
			cell = DigitalPhysicalOnly
		case (r.Status == data.StatusNo || r.Status == data.StatusInProgress) && has:
			cell = DigitalOnly
		case r.Status == data.StatusNo || r.Status == data.StatusInProgress:
			cell = DigitalNeither
		case has:
			cell = DigitalUnknownWithDM
		default:
			cell = DigitalUnknown
		}
		d.Cells[cell]++
		d.CellOf[r.Code] = cell
		if r.Status == data.StatusNo || r.Status == data.StatusInProgress {
			d.WithoutPhysicalTotal++
			if has {
				d.WithoutPhysical++
			}
		}
	}
	return d
}

// FiscalCapacity is a region's fiscal capacity for one PMK period; Value is nil where the
// period has none for it.
type FiscalCapacity struct {
	Period data.FiscalPeriod
	Value  *data.RegionFiscal
}
