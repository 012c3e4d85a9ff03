package factors

import (
	"mppmap/data"
	"mppmap/locale"
	"mppmap/round"
)

// Claim tests the agency's statement "most regions without an MPP have low fiscal capacity" on
// one fiscal factor: of the regions with a sourced no (and a value), how many are in its lowest
// two groups, against the regions with an MPP. Unknown is left out on both sides: it is neither.
type Claim struct {
	Factor        string
	No, NoLow     int      // regions with a sourced no and a value; of them in the lowest two groups
	Yes, YesLow   int      // the same for regions with an MPP
	NoPct, YesPct *float64 // NoLow of No, YesLow of Yes, in percent (round.Pct)
	Text, Reading locale.Msg
}

// lowGroups are a fiscal factor's two lowest groups.
var lowGroups = map[string][2]string{
	PADShare: {"q1", "q2"},
}

func claims(s *data.Snapshot, a *Analysis) []Claim {
	var out []Claim
	for _, f := range a.Factors {
		low, ok := lowGroups[f.ID]
		if f.Kind == KindCategory {
			low, ok = [2]string{pmkKey(data.FiscalCategories[0]), pmkKey(data.FiscalCategories[1])}, true
		}
		if !ok {
			continue
		}
		c := Claim{Factor: f.ID}
		for _, r := range s.Regions {
			g := f.GroupOf(r.Code)
			if g == NoData {
				continue
			}
			isLow := g == low[0] || g == low[1]
			switch r.Status {
			case data.StatusNo:
				c.No++
				if isLow {
					c.NoLow++
				}
			case data.StatusYes:
				c.Yes++
				if isLow {
					c.YesLow++
				}
			}
		}
		c.NoPct, c.YesPct = pctOf(c.NoLow, c.No), pctOf(c.YesLow, c.Yes)
		key := "factors.claim.quintile"
		if f.Kind == KindCategory {
			key = "factors.claim.pmk"
		}
		c.Text = locale.M(key, "Factor", f.Label, "No", c.No, "NoLow", pctArg(c.NoPct), "Yes", c.Yes, "YesLow", pctArg(c.YesPct))
		switch {
		case c.No == 0:
			c.Reading = locale.M("factors.claim.reading_none")
		case 2*c.NoLow > c.No:
			c.Reading = locale.M("factors.claim.reading_most", "Share", pctArg(c.NoPct))
		default:
			c.Reading = locale.M("factors.claim.reading_not_most", "Share", pctArg(c.NoPct))
		}
		out = append(out, c)
	}
	return out
}

// pctOf is part of total in percent (round.Pct); nil for no total.
func pctOf(part, total int) *float64 {
	if total == 0 {
		return nil
	}
	return ptr(round.Pct(100 * float64(part) / float64(total)))
}

// pctArg is a percentage as a message argument: formatted by the language, or the no-value mark.
func pctArg(p *float64) any {
	if p == nil {
		return locale.M("format.no_value")
	}
	return locale.Pct(*p)
}
