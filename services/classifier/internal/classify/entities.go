package classify

import (
	"sort"

	"github.com/newspipe/newspipe/services/classifier/internal/taxonomy"
)

// entityCounts is the document's entity list and per-side mention counts.
type entityCounts struct {
	list      []Entity
	counts    map[string]int // entity or country id -> mentions
	sideCount [2]int         // ru, cn mentions
}

func (c *Classifier) entities(hs []hit) entityCounts {
	ec := entityCounts{counts: map[string]int{}}
	// key packs a family and an index into one integer: a map keyed by
	// it hashes faster than by a struct, on every mention.
	type key int64
	mk := func(fam family, ref int) key { return key(int64(fam)<<32 | int64(ref)) }
	counts := make(map[key]int, 16)
	var order []key
	for _, h := range hs {
		f := &c.feats[h.feat]
		if f.fam != famCountry && f.fam != famEntity && f.fam != famDyad {
			continue
		}
		if f.fam == famDyad {
			for _, ref := range []int{c.ruCountry, c.cnCountry} {
				k := mk(famCountry, ref)
				if counts[k] == 0 {
					order = append(order, k)
				}
				counts[k]++
			}
			continue
		}
		k := mk(f.fam, f.ref)
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	ruID, cnID := c.tax.Countries[c.ruCountry].ID, c.tax.Countries[c.cnCountry].ID
	for _, k := range order {
		var e Entity
		fam, ref := family(k>>32), int(k&(1<<32-1))
		if fam == famCountry {
			co := c.tax.Countries[ref]
			if co.Side == taxonomy.SideOther && co.ID == "misc" {
				continue
			}
			e = Entity{ID: co.ID, Name: co.Name, Kind: taxonomy.KindCountry, Country: co.ID, Count: counts[k]}
		} else {
			en := c.tax.Entities[ref]
			e = Entity{ID: en.ID, Name: en.Name, Kind: en.Kind, Country: en.Country, Count: counts[k]}
		}
		ec.counts[e.ID] += e.Count
		switch e.Country {
		case ruID:
			ec.sideCount[0] += e.Count
		case cnID:
			ec.sideCount[1] += e.Count
		}
		ec.list = append(ec.list, e)
	}
	sort.SliceStable(ec.list, func(i, j int) bool { return ec.list[i].Count > ec.list[j].Count })
	return ec
}
