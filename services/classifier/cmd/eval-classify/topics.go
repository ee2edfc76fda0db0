package main

import (
	"fmt"
	"io"
	"slices"
)

// readerTopics reads classify-real's topic labels, which its readers wrote
// freely ("5g", "lunar", "fast-reactor"), as the taxonomy's topics. Labels
// with no taxonomy topic (trade, aviation, rail, gas…) are left out: the
// taxonomy files those fields under "other", which is never scored.
var readerTopics = map[string]string{}

func init() {
	for topic, labels := range map[string][]string{
		"telecom":        {"telecom", "5g", "internet", "mobile-os", "consumer-electronics", "iot"},
		"semiconductors": {"semiconductors", "microelectronics", "electronics"},
		"ai":             {"ai"},
		"space":          {"space", "lunar", "satellite-navigation", "rocket-engines", "launch-infrastructure", "space-nuclear-power"},
		"cyber":          {"cyber", "cybersecurity", "information-security", "ransomware", "internet-governance"},
		"defense":        {"defence", "military", "dual-use", "air-defence", "missiles", "drones", "naval", "radar", "defence-industry", "missile-early-warning"},
		"energy":         {"nuclear", "energy", "fast-reactor", "fast-reactors", "fuel", "fuel-cycle"},
		"quantum":        {"quantum"},
		"research":       {"r&d", "r-and-d", "rnd-centre", "science", "academia", "university", "universities", "joint-lab", "science-technology", "innovation"},
		"digital":        {"digital-economy", "digital", "e-commerce", "software", "cloud", "computing"},
	} {
		for _, l := range labels {
			readerTopics[l] = topic
		}
	}
}

// asTaxonomyTopics maps reader labels to taxonomy topics, each once.
func asTaxonomyTopics(labels []string) []string {
	var out []string
	for _, l := range labels {
		if t, ok := readerTopics[l]; ok && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// topicCounts scores the topics given to the stories both the labels and
// the classifier call Russia–China technology, where the labels name a
// taxonomy topic: a topic given and labelled is right, given and not
// labelled is extra, labelled and not given is missed.
type topicCounts struct{ stories, tp, fp, fn int }

func (k *topicCounts) add(want, got []string) {
	if len(want) == 0 {
		return
	}
	k.stories++
	for _, t := range got {
		if t == "other" {
			continue
		}
		if slices.Contains(want, t) {
			k.tp++
		} else {
			k.fp++
		}
	}
	for _, t := range want {
		if !slices.Contains(got, t) {
			k.fn++
		}
	}
}

func (k topicCounts) write(w io.Writer) {
	if k.stories == 0 {
		return
	}
	fmt.Fprintf(w, "  topics (readers' labels as taxonomy topics, %d stories): P %s R %s (tp %d fp %d fn %d)\n",
		k.stories, ratio(k.tp, k.fp), ratio(k.tp, k.fn), k.tp, k.fp, k.fn)
}

// sameTopics reports whether got holds exactly want's topics ("other" aside).
func sameTopics(want, got []string) bool {
	n := 0
	for _, t := range got {
		if t == "other" {
			continue
		}
		if !slices.Contains(want, t) {
			return false
		}
		n++
	}
	return n == len(want)
}
