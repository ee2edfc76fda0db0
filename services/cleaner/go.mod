module github.com/newspipe/newspipe/services/cleaner

go 1.26.8

require (
	github.com/PuerkitoBio/goquery v1.13.0 // indirect
	github.com/andybalholm/cascadia v1.3.4 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)

require (
	github.com/newspipe/newspipe/pkg v0.0.0
	github.com/newspipe/newspipe/proto v0.0.0
)

replace github.com/newspipe/newspipe/pkg => ../../pkg

replace github.com/newspipe/newspipe/proto => ../../proto
