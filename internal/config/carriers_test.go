package config

import (
	"strings"
	"testing"

	"github.com/orderdrop/orderdrop/internal/carrier/netwo"
	"github.com/orderdrop/orderdrop/internal/carrier/prizz"
	"github.com/orderdrop/orderdrop/internal/carrier/thinktel"
)

// netwoOf, prizzOf and thinktelOf are the carriers' sections of cfg.
func netwoOf(cfg *Config) *netwo.Section {
	return cfg.Carriers.Section("netwo").(*netwo.Section)
}

func prizzOf(cfg *Config) *prizz.Section {
	return cfg.Carriers.Section("prizz").(*prizz.Section)
}

func thinktelOf(cfg *Config) *thinktel.Section {
	return cfg.Carriers.Section("thinktel").(*thinktel.Section)
}

// TestCarriersOnly: a carrier alone at another base URL keeps its own
// settings and leaves every other carrier unconfigured.
func TestCarriersOnly(t *testing.T) {
	c := NewCarriers()
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

// TestCarrierKeysChecked: carriers.NAME and the keys of each section are
// checked as any other key, with a suggestion.
func TestCarrierKeysChecked(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown carrier", "carriers:\n  netwoo:\n    base_url: x\n", "unknown key `carriers.netwoo` (line 2): did you mean `netwo`?"},
		{"unknown key of a section", "carriers:\n  prizz:\n    ordr_path: /x\n", "unknown key `carriers.prizz.ordr_path` (line 3): did you mean `order_path`?"},
		{"unknown key of the HTTP settings", "carriers:\n  thinktel:\n    timout: 5s\n", "unknown key `carriers.thinktel.timout` (line 3): did you mean `timeout`?"},
		{"section not keys", "carriers:\n  netwo: 3\n", "carriers.netwo (line 2): must hold keys"},
		{"carriers not keys", "carriers: [a]\n", "carriers (line 1): must hold keys (indented on the lines below), not a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), t.TempDir(), func(string) (string, bool) { return "", false })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestCarrierSectionsDecoded: every section is decoded from its key, with
// the carrier's defaults for the keys left out.
func TestCarrierSectionsDecoded(t *testing.T) {
	yml := "carriers:\n  netwo:\n    routing_prefix: mine\n    concurrency: 2\n  thinktel:\n    environment: test\n"
	cfg, err := Parse([]byte(yml), t.TempDir(), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	if got, want := netwoOf(cfg).RoutingPrefix, "mine"; got != want {
		t.Errorf("netwo routing_prefix = %q, want %q", got, want)
	}
	if got, want := netwoOf(cfg).Concurrency, 2; got != want {
		t.Errorf("netwo concurrency = %d, want %d", got, want)
	}
	if got, want := netwoOf(cfg).RoutingSIPTrunk, netwo.DefaultRoutingSIPTrunk; got != want {
		t.Errorf("netwo routing_sip_trunk = %q, want %q", got, want)
	}
	if got, want := thinktelOf(cfg).Environment, "test"; got != want {
		t.Errorf("thinktel environment = %q, want %q", got, want)
	}
	if got, want := prizzOf(cfg).OrderPath, prizz.DefaultOrderPath; got != want {
		t.Errorf("prizz order_path = %q, want %q", got, want)
	}
}

// TestEmptyCarriersKeepTheirSections: an empty carriers key, or an empty
// section, leaves every carrier its section with the defaults.
func TestEmptyCarriersKeepTheirSections(t *testing.T) {
	for _, yml := range []string{"carriers:\n", "carriers: ~\n", "carriers: {}\n", "carriers:\n  netwo:\n"} {
		cfg, err := Parse([]byte(yml), t.TempDir(), func(string) (string, bool) { return "", false })
		if err != nil {
			t.Fatalf("%q: %v", yml, err)
		}
		for _, name := range cfg.Carriers.Names() {
			if got := cfg.Carriers.HTTPOf(name); got == nil || got.Concurrency != 4 {
				t.Errorf("%q: carriers.%s = %+v, want its section with concurrency 4", yml, name, got)
			}
		}
	}
}
