package config

import "testing"

// TestCarriersOnly: a carrier alone at another base URL keeps its own
// settings and leaves every other carrier unconfigured.
func TestCarriersOnly(t *testing.T) {
	var c Carriers
	for _, name := range c.Names() {
		c.HTTPOf(name).BaseURL = "https://" + name + ".example"
		c.HTTPOf(name).Concurrency = 7
	}
	for _, name := range c.Names() {
		only, ok := c.Only(name, "https://elsewhere.example")
		if !ok {
			t.Fatalf("Only(%s): not a carrier", name)
		}
		for _, other := range c.Names() {
			got, want := only.HTTPOf(other).BaseURL, ""
			if other == name {
				want = "https://elsewhere.example"
			}
			if got != want {
				t.Errorf("Only(%s): carriers.%s.base_url = %q, want %q", name, other, got, want)
			}
			if got := only.HTTPOf(other).Concurrency; got != 7 {
				t.Errorf("Only(%s): carriers.%s.concurrency = %d, want 7", name, other, got)
			}
		}
		if got := c.HTTPOf(name).BaseURL; got != "https://"+name+".example" {
			t.Errorf("Only(%s) changed the original: %q", name, got)
		}
	}
	if _, ok := c.Only("nope", "x"); ok {
		t.Error("Only(nope) = ok, want not a carrier")
	}
}
