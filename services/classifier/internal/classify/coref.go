package classify

// actor identifies a country for coreference: Russia, China, or a third
// country (key tells apart the countries the taxonomy groups as "misc").
type actor struct {
	side int8   // 1 ru, 2 cn, 3 a third country
	ref  int    // country index of a third country
	key  string // the matched name, for grouped third countries
}

// coref resolves "both countries", "ambos países", "两国" to the pair of
// countries the text names last: the last pair joined as one subject ("India
// y Rusia", "中俄"), unless two countries named after it have taken its place
// ("Rusia y China …; Nicaragua firmó con Rusia; ambos países…").
type coref struct {
	recent    [2]actor // the two most recent distinct countries, recent[0] last
	recentPos [2]int   // where each was last named
	n         int      // how many of recent are set
	last      actor    // the previous actor mention
	lastEnd   int      // where its word ended (-1: none)
	pair      [2]actor // the last conjoined pair
	pairPos   int      // where its second member was named (-1: none)
	g         *grammar // the document's language
}

func newCoref(g *grammar) coref { return coref{lastEnd: -1, pairPos: -1, g: g} }

// see records a mention of a country (or of an actor tied to one) at
// [start, end), end being the end of its word.
func (k *coref) see(text string, a actor, start, end int) {
	if k.lastEnd >= 0 && k.last != a && k.lastEnd <= start && k.g.isConjunction(text, k.lastEnd, start) {
		k.pair, k.pairPos = [2]actor{k.last, a}, start
	}
	k.last, k.lastEnd = a, end
	switch {
	case k.n > 0 && k.recent[0] == a:
		k.recentPos[0] = start
	default:
		k.recent[1], k.recentPos[1] = k.recent[0], k.recentPos[0]
		k.recent[0], k.recentPos[0] = a, start
		if k.n < 2 {
			k.n++
		}
	}
}

// seePair records a dyad ("Sino-Russian", "中俄"): both sides at once.
func (k *coref) seePair(start, end int) {
	ru, cn := actor{side: 1}, actor{side: 2}
	k.pair, k.pairPos = [2]actor{ru, cn}, start
	k.recent, k.recentPos, k.n = [2]actor{cn, ru}, [2]int{start, start}, 2
	k.last, k.lastEnd = cn, end
}

// resolve tells whether an anaphor at this point names Russia and China
// (rucn), and whether it could be resolved at all (fewer than two countries
// named before it: not).
func (k *coref) resolve() (rucn, known bool) {
	var p [2]actor
	switch {
	case k.pairPos >= 0 && (k.n < 2 || k.recentPos[1] <= k.pairPos):
		p = k.pair
	case k.n == 2:
		p = k.recent
	default:
		return false, false
	}
	return (p[0].side == 1 && p[1].side == 2) || (p[0].side == 2 && p[1].side == 1), true
}
