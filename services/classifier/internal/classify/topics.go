package classify

import (
	"math"
	"sort"
)

// topics scores every topic over the document: sentences that name a side
// count double, relational ones four times, the title twice more.
func (c *Classifier) topics(res *Result, sents []sentence) {
	var sc [maxTopics]float64
	var strong [maxTopics]bool
	for i := range sents {
		s := &sents[i]
		for t, w := range s.topicW {
			if w >= 2 && s.topicSpec[t] {
				strong[t] = true
			}
		}
		m := 1.0
		if s.ru || s.cn || s.dyad || s.anaph {
			m = 2
		}
		if s.score > 0 {
			m = 4
		}
		if s.title {
			m *= 2
		}
		for t, w := range s.topicW {
			if w > 0 {
				sc[t] += float64(w) * m
			}
		}
	}
	type ts struct {
		t int
		v float64
	}
	var all []ts
	for t := range c.tax.Topics {
		if sc[t] > 0 {
			all = append(all, ts{t, sc[t]})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].v > all[j].v })
	otherIdx, hasOther := c.topicIdx["other"]
	for _, x := range all {
		name := c.tax.Topics[x.t].ID
		res.TopicScores = append(res.TopicScores, TopicScore{Name: name, Score: math.Round(x.v*10) / 10})
		if hasOther && x.t == otherIdx {
			continue
		}
		// A topic counts with two strong mentions, or one inside a
		// Russia–China technology story (an analysis touching on quantum
		// computing once still covers it).
		if x.v >= 4 || (res.RuCnTech && x.v >= 2 && strong[x.t]) {
			res.Topics = append(res.Topics, name)
		}
	}
	if len(res.Topics) == 0 && hasOther && sc[otherIdx] > 0 {
		res.Topics = []string{"other"}
	}
}

// primaryTopic moves the topic that weighs most in relational sentences to
// the front of Topics.
func (c *Classifier) primaryTopic(res *Result, sents []sentence) {
	var sc [maxTopics]float64
	for i := range sents {
		s := &sents[i]
		if s.score == 0 {
			continue
		}
		for t, w := range s.topicW {
			if w > 0 {
				sc[t] += float64(w) * weighted(s)
			}
		}
	}
	best, bv := -1, 0.0
	otherIdx, hasOther := c.topicIdx["other"]
	for t := range c.tax.Topics {
		if hasOther && t == otherIdx {
			continue
		}
		if sc[t] > bv {
			best, bv = t, sc[t]
		}
	}
	if best < 0 {
		if len(res.Topics) == 0 {
			res.Topics = []string{"other"}
		}
		return
	}
	name := c.tax.Topics[best].ID
	out := []string{name}
	for _, t := range res.Topics {
		if t != name {
			out = append(out, t)
		}
	}
	res.Topics = out
}
