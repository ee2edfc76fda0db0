package extract

import "sync"

// scratch is the memory one walk of a page uses: the element and block
// tables, the open-element stack and the keep marks. A 300 KB page has
// 5,000 elements or more; growing those tables page after page was the
// largest allocation of an extraction after the parse tree, and the
// garbage collector's work on it showed in the parse's time. An
// Extractor keeps scratches in a pool and reuses them.
type scratch struct {
	elems  []elem
	blocks []block
	open   []int32
	keep   []bool
	absent []bool
	buf    []byte
}

// scratchPool hands out scratches; it is safe for concurrent use.
type scratchPool struct{ p sync.Pool }

func newScratchPool() *scratchPool {
	return &scratchPool{p: sync.Pool{New: func() any {
		return &scratch{elems: make([]elem, 0, 2048), blocks: make([]block, 0, 512)}
	}}}
}

// get returns a scratch; a nil pool (an Extractor not built by New)
// hands out new ones.
func (sp *scratchPool) get() *scratch {
	if sp == nil {
		return &scratch{}
	}
	return sp.p.Get().(*scratch)
}

// keepFor returns n keep marks, all false.
func (s *scratch) keepFor(n int) []bool {
	s.keep = falses(s.keep, n)
	return s.keep
}

// absentFor returns n absent marks, all false.
func (s *scratch) absentFor(n int) []bool {
	s.absent = falses(s.absent, n)
	return s.absent
}

func falses(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// put returns s to the pool. It clears the tables first, so the pool
// does not keep the last page's tree and text alive.
func (sp *scratchPool) put(s *scratch) {
	if sp == nil || s == nil {
		return
	}
	clear(s.elems[:cap(s.elems)][:len(s.elems)])
	clear(s.blocks[:len(s.blocks)])
	s.elems, s.blocks, s.open, s.keep, s.absent, s.buf = s.elems[:0], s.blocks[:0], s.open[:0], s.keep[:0], s.absent[:0], s.buf[:0]
	sp.p.Put(s)
}
