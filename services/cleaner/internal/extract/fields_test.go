package extract

import "testing"

func TestFieldLines(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) bool
		line  string
		want  bool
	}{
		{"date", isDateLine, "Posted July 8th, 2011", true},
		{"date", isDateLine, "April 28, 2019 at 6:01 am Updated April 29, 2019 at 3:33 pm", true},
		{"date", isDateLine, "12.03.2019 14:05", true},
		{"date", isDateLine, "2019年3月12日 10:30", true},
		{"date", isDateLine, "16 September 2025 pukul 11.02", true},
		{"date", isDateLine, "12 марта 2019", true},
		{"date", isDateLine, "Le Monde | 04.05.2015 à 13h36 • Mis à jour le 05.05.2015 à 20h13 | Par Martin Untersinger (avec Damien Leloup et Morgane Tual)", true},
		{"date", isDateLine, "The 4h30 ferry leaves at dawn and the 18h15 returns after dark, the port said, but only from May to the end of September.", false},
		{"date", isDateLine, "The council met in July and agreed to build a new harbour wall before the winter storms of next year.", false},
		{"date", isDateLine, "Port Capacity", false},
		{"date", isDateLine, "Saturday's meeting was the first face-to-face session between the two sides since Oct. 18 in Toronto.", false},
		{"date", isDateLine, "The NHL and NHLPA have been without a CBA since Sept. 15.", false},
		{"date", isDateLine, "On 6/13/2018 by @lazharichir", true},
		{"date", isDateLine, "Page 3 of 12", false},
		{"credit", isCreditLine, "Photo: Anna Lee/Reuters", true},
		{"credit", isCreditLine, "(Photo by Anna Lee)", true},
		{"credit", isCreditLine, "Jim Wilson/The New York Times", true},
		{"credit", isCreditLine, "Фото: Иван Петров", true},
		{"credit", isCreditLine, "KIMIHIRO HOSHINO/AFP/Getty Images", true},
		{"credit", isCreditLine, "Photography is what the port lacks, the mayor said.", false},
		{"credit", isCreditLine, "Input/output rose.", false},
		{"credit", isCreditLine, "See https://example.org/a for more", false},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.line, func(t *testing.T) {
			if got := tt.check(tt.line); got != tt.want {
				t.Fatalf("%s(%q) = %v, want %v", tt.name, tt.line, got, tt.want)
			}
		})
	}
}

func TestBylineLine(t *testing.T) {
	tests := []struct {
		line, byline string
		want         bool
	}{
		{"By Anna Lee", "", true},
		{"By Anna Lee, Gazette staff writer", "", true},
		{"Anna Lee · March 3, 2019", "Anna Lee", true},
		{"Автор: Иван Петров", "", true},
		{"Post written by Leo Babauta.", "", true},
		{"The picture was taken by a reader on the pier at dawn, when the boats came in from the night's fishing.", "", false},
		{"Wonderful animated video! Created by Jose Arboleda", "Jose Arboleda", false},
		{"Byron Bay hosts the festival for the tenth year running, and the town is full.", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if got := isBylineLine(tt.line, tt.byline); got != tt.want {
				t.Fatalf("isBylineLine(%q, %q) = %v, want %v", tt.line, tt.byline, got, tt.want)
			}
		})
	}
}

func TestSameButDigits(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"comment-48213", "comment-9", true},
		{"c 12 x", "c 3 x", true},
		{"comment", "comment-1", false},
		{"item1", "item", false},
		{"", "", true},
		{"a", "b", false},
	} {
		if got := sameButDigits(tt.a, tt.b); got != tt.want {
			t.Errorf("sameButDigits(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestIsBio(t *testing.T) {
	for _, tt := range []struct {
		line, byline string
		want         bool
	}{
		{"Erin Cunningham is an Egypt-based correspondent for The Post.", "Erin Cunningham", true},
		{"ERIN CUNNINGHAM covers Egypt.", "Erin Cunningham", true},
		{"Erin Cunninghams were many in the village.", "Erin Cunningham", false},
		{"Anna said the port would open.", "Anna", false},
		{"Erin Cunningham", "Erin Cunningham", false},
	} {
		if got := isBio(tt.line, tt.byline); got != tt.want {
			t.Errorf("isBio(%q, %q) = %v, want %v", tt.line, tt.byline, got, tt.want)
		}
	}
}
