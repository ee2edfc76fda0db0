package taxonomy

import "testing"

func TestDefaultLoads(t *testing.T) {
	tx, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if tx.Version == "" {
		t.Fatal("no version")
	}
}
