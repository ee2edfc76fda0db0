package demosite

// Words of off-beat local news, for the filler stories that the fault suite
// and bench-e2e put beside the demo's own: invented towns and subjects, and
// sentences with the placeholders %[1]s (a place), %[2]s (a subject), %[3]d
// (a count), %[4]d (a year) and %[5]d (a small number). Read them, never
// change them: both users render their pages from them.
var (
	FillerPlaces   = []string{"Northport", "Eastbay", "Millbrook", "Stonehaven", "Westerly", "Brackwater", "Fernhill", "Kingsmere"}
	FillerSubjects = []string{"harbour works", "the ferry timetable", "the spring fair", "the library extension", "the coastal path",
		"the rowing regatta", "the fish market", "the school orchestra", "the tram depot", "the lighthouse museum"}
	FillerSentences = []string{
		"Council officers said the work at %[1]s would be finished before the end of the month, weather permitting.",
		"Residents of %[1]s packed the community hall on Tuesday evening to hear the plans for %[2]s.",
		"The budget for %[2]s rose to %[3]d thousand after an inspection found more damage than expected.",
		"A spokesperson for the harbour board said %[3]d volunteers had signed up to help with %[2]s.",
		"Local traders in %[1]s welcomed the news, saying footfall had fallen by a third during the closure.",
		"The last time %[2]s was renovated was in the winter of %[4]d, when storms closed the quay for weeks.",
		"Children from three primary schools will take part, and the mayor of %[1]s is expected to attend.",
		"Parking on the seafront will be restricted from Friday, and a shuttle bus will run every %[5]d minutes.",
		"Objections can be sent to the planning office until the %[5]dth, the notice on the town hall door says.",
		"Fishermen asked for the slipway at %[1]s to stay open at night while the cranes are on the pier.",
		"The forecast promises a dry week, which the organisers of %[2]s called the best news of the season.",
		"A petition with %[3]d signatures asks the council to keep the old benches along the promenade.",
	}
)
