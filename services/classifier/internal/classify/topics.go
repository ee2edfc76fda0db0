package classify

import (
	"math"
	"sort"
)

// topics scores every topic over the document and returns, for each, the
// body sentence that weighs most for it (-1 if none): its evidence.
//
// Sentences that name a side count double, relational ones four times, the
// title twice more. In a Russia–China technology story only the title, the
// paragraphs that tie the sides and the paragraphs right after them count:
// an analysis piece runs through much other prose, and what it says of
// energy or space away from the tie is not what the story is about (on
// classify-real diluted to 10,000 characters, counting every sentence gave
// topics at precision 0.48; this rule, 0.87). And a topic needs more than
// one incidental word: a specific
// strong term, or mentions in two sentences ("clean-room space" once is not
// space).
func (c *Classifier) topics(res *Result, sents []sentence) [maxTopics]int {
	var sc [maxTopics]float64
	var strong [maxTopics]bool
	var nsent [maxTopics]int
	var best [maxTopics]int
	var bestV [maxTopics]float64
	for t := range best {
		best[t] = -1
	}
	relBlock := map[int]bool{}
	for i := range sents {
		if sents[i].score > 0 {
			relBlock[sents[i].block] = true
		}
	}
	for i := range sents {
		s := &sents[i]
		if res.RuCnTech && !s.title && !relBlock[s.block] && !relBlock[s.block-1] {
			continue
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
			if w <= 0 {
				continue
			}
			if w >= 2 && s.topicSpec[t] {
				strong[t] = true
			}
			nsent[t]++
			v := float64(w) * m
			sc[t] += v
			if !s.title && v > bestV[t] {
				best[t], bestV[t] = i, v
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
		if !strong[x.t] && nsent[x.t] < 2 {
			continue
		}
		// Two strong mentions, or one inside a Russia–China technology
		// story (an analysis touching on quantum computing once in the
		// tie still covers it).
		if x.v >= 4 || (res.RuCnTech && x.v >= 2 && strong[x.t]) {
			res.Topics = append(res.Topics, name)
		}
	}
	if len(res.Topics) == 0 && hasOther && sc[otherIdx] > 0 {
		res.Topics = []string{"other"}
	}
	// A topic the title alone decided is shown by the body sentence that
	// names it first.
	for t := range best {
		if best[t] >= 0 || sc[t] == 0 {
			continue
		}
		for i := range sents {
			if !sents[i].title && sents[i].topicW[t] > 0 {
				best[t] = i
				break
			}
		}
	}
	return best
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
		if t != name && t != "other" {
			out = append(out, t)
		}
	}
	res.Topics = out
}
