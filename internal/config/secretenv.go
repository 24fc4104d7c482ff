package config

import (
	"strings"

	"github.com/orderdrop/orderdrop/internal/carrier/registry"
)

// CredentialsHint says where a carrier's credentials are configured, for
// a message after the carrier refused them: "carriers.thinktel.username and
// carriers.thinktel.password (environment variables TT_USER, TT_PASSWORD)".
// carrier is a registered carrier's name.
func (c *Config) CredentialsHint(carrier string) string {
	sec, ok := c.Carriers.sections[carrier]
	reg := registry.Carriers.Lookup(carrier)
	if !ok || reg == nil {
		return "the credentials under carriers." + carrier
	}
	var names, envs []string
	for _, k := range reg.Credentials {
		names = append(names, "carriers."+carrier+"."+k)
		envs = append(envs, sec.Secrets()[k].EnvVars()...)
	}
	hint := strings.Join(names, " and ")
	if len(envs) > 0 {
		hint += " (environment variables " + strings.Join(envs, ", ") + ")"
	}
	return hint
}
