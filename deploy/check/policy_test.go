package check

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
)

// render renders one build of the shipped manifests, which must be clean.
func render(t *testing.T, build string) *Set {
	t.Helper()
	set, problems, err := Render(realManifests + "/" + build)
	if err != nil || len(problems) > 0 {
		t.Fatalf("render %s: %v %v", build, err, problems)
	}
	if p := Policy(set); len(p) > 0 {
		t.Fatalf("%s is not clean: %v", build, p)
	}
	return set
}

func deployment(t *testing.T, s *Set, name string) *appsv1.Deployment {
	t.Helper()
	o := s.Get("Deployment", "newspipe", name)
	if o == nil {
		t.Fatalf("no Deployment %s", name)
	}
	return o.Obj.(*appsv1.Deployment)
}

func remove(s *Set, kind, name string) {
	for i, o := range s.Objects {
		if o.Kind == kind && o.Name == name {
			s.Objects = append(s.Objects[:i], s.Objects[i+1:]...)
			return
		}
	}
}

func policy(t *testing.T, s *Set, name string) *networkingv1.NetworkPolicy {
	t.Helper()
	o := s.Get("NetworkPolicy", "newspipe", name)
	if o == nil {
		t.Fatalf("no NetworkPolicy %s", name)
	}
	return o.Obj.(*networkingv1.NetworkPolicy)
}

// Each case breaks the shipped manifests in one way, on the typed
// objects, and the policy must say so.
func TestPolicyCatchesBrokenManifests(t *testing.T) {
	tests := []struct {
		name   string
		build  string
		mutate func(t *testing.T, s *Set)
		rule   Rule
		ref    string
		msg    string
	}{
		{"no nkey seed", "base", func(t *testing.T, s *Set) {
			c := &deployment(t, s, "cleaner").Spec.Template.Spec.Containers[0]
			c.Env = dropEnv(c.Env, "NATS_NKEY_SEED")
		}, RuleCredentials, "Deployment/cleaner", "gets no NATS credentials from a Secret"},
		{"seed path off the Secret volume", "base", func(t *testing.T, s *Set) {
			c := &deployment(t, s, "sink").Spec.Template.Spec.Containers[0]
			c.Env = append(dropEnv(c.Env, "NATS_NKEY_SEED"), corev1.EnvVar{Name: "NATS_NKEY_SEED", Value: "/tmp/nkey.seed"})
		}, RuleCredentials, "Deployment/sink", "NATS_NKEY_SEED /tmp/nkey.seed is not a file of a volume mounted from a Secret"},
		{"another service's seed", "base", func(t *testing.T, s *Set) {
			v := deployment(t, s, "sink").Spec.Template.Spec.Volumes
			for i := range v {
				if v[i].Secret != nil && v[i].Secret.SecretName == "newspipe-nats" {
					v[i].Secret.Items[0].Key = "classifier.seed"
				}
			}
		}, RuleCredentials, "Deployment/sink", "NATS_NKEY_SEED is key classifier.seed of Secret newspipe-nats: the sink holds its own user's seed, key sink.seed"},
		{"password in NATS_URL", "base", func(t *testing.T, s *Set) {
			cm := s.Get("ConfigMap", "newspipe", "newspipe-config").Obj.(*corev1.ConfigMap)
			cm.Data["NATS_URL"] = "nats://newspipe:s3cret@nats.newspipe.svc:4222"
		}, RuleCredentials, "Deployment/fetcher", "NATS_URL carries credentials inline"},
		{"inline token", "base", func(t *testing.T, s *Set) {
			c := &deployment(t, s, "classifier").Spec.Template.Spec.Containers[0]
			c.Env = append(c.Env, corev1.EnvVar{Name: "NATS_TOKEN", Value: "s3cret"})
		}, RuleCredentials, "Deployment/classifier", "env NATS_TOKEN is written inline"},
		{"no default deny", "base", func(t *testing.T, s *Set) { remove(s, "NetworkPolicy", "default-deny") },
			RuleNetwork, "Namespace/newspipe", "no default-deny NetworkPolicy"},
		{"stages cannot reach NATS", "base", func(t *testing.T, s *Set) { remove(s, "NetworkPolicy", "stages-to-nats") },
			RuleNetwork, "Deployment/cleaner", "egress to NATS (port 4222/TCP) is not allowed"},
		{"NATS refuses the stages", "base", func(t *testing.T, s *Set) { policy(t, s, "nats").Spec.Ingress[0].Ports[0].Port.IntVal = 4223 },
			RuleNetwork, "StatefulSet/nats", "ingress from Deployment/sink on port client (4222) is not allowed"},
		{"no DNS", "base", func(t *testing.T, s *Set) { remove(s, "NetworkPolicy", "dns") },
			RuleNetwork, "Deployment/fetcher", "egress to DNS (port 53/UDP) is not allowed"},
		{"fetcher without HTTPS", "base", func(t *testing.T, s *Set) {
			np := policy(t, s, "fetcher-web")
			np.Spec.Egress[0].Ports = np.Spec.Egress[0].Ports[:1]
		}, RuleNetwork, "Deployment/fetcher", "egress to the web (HTTPS) (port 443/TCP) is not allowed"},
		{"sink without PostgreSQL", "base", func(t *testing.T, s *Set) { policy(t, s, "sink").Spec.Egress = nil },
			RuleNetwork, "Deployment/sink", "egress to PostgreSQL (port 5432/TCP) is not allowed"},
		{"sink without webhooks", "base", func(t *testing.T, s *Set) {
			np := policy(t, s, "sink")
			np.Spec.Egress = np.Spec.Egress[:1]
		}, RuleNetwork, "Deployment/sink", "egress to webhooks (HTTPS) (port 443/TCP) is not allowed"},
		{"no scraping", "base", func(t *testing.T, s *Set) { remove(s, "NetworkPolicy", "metrics") },
			RuleNetwork, "Deployment/classifier", "ingress from Prometheus in namespace monitoring on port metrics (9090) is not allowed"},
		{"KEDA cannot read NATS", "overlays/prod", func(t *testing.T, s *Set) {
			np := policy(t, s, "nats")
			np.Spec.Ingress = np.Spec.Ingress[:len(np.Spec.Ingress)-1]
		}, RuleNetwork, "StatefulSet/nats", "ingress from KEDA's operator in namespace keda on port monitor (8222) is not allowed"},
		{"wrong consumer", "overlays/prod", func(t *testing.T, s *Set) {
			s.Get("ScaledObject", "newspipe", "cleaner").Obj.(*ScaledObject).Spec.Triggers[0].Metadata["consumer"] = "CLASSIFIER"
		}, RuleAutoscale, "ScaledObject/cleaner", `consumer "CLASSIFIER" is not the cleaner stage's durable consumer CLEANER`},
		{"wrong stream", "overlays/prod", func(t *testing.T, s *Set) {
			s.Get("ScaledObject", "newspipe", "classifier").Obj.(*ScaledObject).Spec.Triggers[0].Metadata["stream"] = "NEWS_RAW"
		}, RuleAutoscale, "ScaledObject/classifier", `stream "NEWS_RAW" is not the classifier stage's stream NEWS_CLEAN`},
		{"endpoint not headless", "overlays/prod", func(t *testing.T, s *Set) {
			s.Get("ScaledObject", "newspipe", "cleaner").Obj.(*ScaledObject).Spec.Triggers[0].Metadata["natsServerMonitoringEndpoint"] = "nats.newspipe.svc:8222"
		}, RuleAutoscale, "ScaledObject/cleaner", "Service nats is not headless"},
		{"no fallback", "overlays/prod", func(t *testing.T, s *Set) {
			s.Get("ScaledObject", "newspipe", "cleaner").Obj.(*ScaledObject).Spec.Fallback = nil
		}, RuleAutoscale, "ScaledObject/cleaner", "spec.fallback is missing"},
		{"unknown scaler metadata", "overlays/prod", func(t *testing.T, s *Set) {
			s.Get("ScaledObject", "newspipe", "cleaner").Obj.(*ScaledObject).Spec.Triggers[0].Metadata["lagTreshold"] = "5"
		}, RuleAutoscale, "ScaledObject/cleaner", `unknown nats-jetstream metadata "lagTreshold"`},
		{"HPA and KEDA both", "overlays/prod", func(t *testing.T, s *Set) {
			base := render(t, "base")
			s.Objects = append(s.Objects, base.Get("HorizontalPodAutoscaler", "newspipe", "cleaner"))
		}, RuleAutoscale, "HorizontalPodAutoscaler/cleaner", "two autoscalers fight"},
		{"PodMonitor on a missing port", "overlays/prod", func(t *testing.T, s *Set) {
			s.Get("PodMonitor", "newspipe", "newspipe-stages").Obj.(*PodMonitor).Spec.PodMetricsEndpoints[0].Port = "admin"
		}, RuleMonitoring, "PodMonitor/newspipe-stages", `port "admin" is not a port of Deployment/cleaner`},
		{"privileged", "base", func(t *testing.T, s *Set) {
			yes := true
			deployment(t, s, "sink").Spec.Template.Spec.Containers[0].SecurityContext.Privileged = &yes
		}, RuleSecurity, "Deployment/sink", "container sink is privileged"},
		{"capability added", "base", func(t *testing.T, s *Set) {
			deployment(t, s, "fetcher").Spec.Template.Spec.Containers[0].SecurityContext.Capabilities.Add = []corev1.Capability{"NET_RAW"}
		}, RuleSecurity, "Deployment/fetcher", "capabilities.add [NET_RAW]"},
		{"host network", "base", func(t *testing.T, s *Set) { deployment(t, s, "fetcher").Spec.Template.Spec.HostNetwork = true },
			RuleSecurity, "Deployment/fetcher", "shares a host namespace"},
		{"root user", "base", func(t *testing.T, s *Set) {
			root := int64(0)
			deployment(t, s, "cleaner").Spec.Template.Spec.SecurityContext.RunAsUser = &root
		}, RuleSecurity, "Deployment/cleaner", "runAsUser is 0"},
		{"no seccomp profile", "base", func(t *testing.T, s *Set) {
			deployment(t, s, "cleaner").Spec.Template.Spec.SecurityContext.SeccompProfile = nil
		},
			RuleSecurity, "Deployment/cleaner", "seccompProfile is not RuntimeDefault"},
		{"no container securityContext", "base", func(t *testing.T, s *Set) {
			deployment(t, s, "sink").Spec.Template.Spec.Containers[0].SecurityContext = nil
		},
			RuleSecurity, "Deployment/sink", "container sink has no securityContext"},
		{"privilege escalation", "base", func(t *testing.T, s *Set) {
			yes := true
			deployment(t, s, "sink").Spec.Template.Spec.Containers[0].SecurityContext.AllowPrivilegeEscalation = &yes
		}, RuleSecurity, "Deployment/sink", "allowPrivilegeEscalation is not false"},
		{"no liveness probe", "base", func(t *testing.T, s *Set) {
			deployment(t, s, "sink").Spec.Template.Spec.Containers[0].LivenessProbe = nil
		},
			RuleProbe, "Deployment/sink", "container sink has no livenessProbe"},
		{"resourceFieldRef to an unlimited resource", "base", func(t *testing.T, s *Set) {
			c := &deployment(t, s, "sink").Spec.Template.Spec.Containers[0]
			c.Env = append(c.Env, corev1.EnvVar{Name: "EPHEMERAL", ValueFrom: &corev1.EnvVarSource{ResourceFieldRef: &corev1.ResourceFieldSelector{Resource: "limits.ephemeral-storage"}}})
		}, RuleReference, "Deployment/sink", "refers to resource limits.ephemeral-storage"},
		{"missing PersistentVolumeClaim", "base", func(t *testing.T, s *Set) {
			spec := &deployment(t, s, "sink").Spec.Template.Spec
			spec.Volumes = append(spec.Volumes, corev1.Volume{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "sink-data"}}})
		}, RuleReference, "Deployment/sink", "refers to PersistentVolumeClaim sink-data"},
		{"Service without selector", "base", func(t *testing.T, s *Set) {
			s.Get("Service", "newspipe", "sink").Obj.(*corev1.Service).Spec.Selector = nil
		}, RuleSelector, "Service/sink", "spec.selector is empty"},
		{"HPA min above max", "base", func(t *testing.T, s *Set) {
			h := s.Get("HorizontalPodAutoscaler", "newspipe", "cleaner").Obj.(*autoscalingv2.HorizontalPodAutoscaler)
			h.Spec.MaxReplicas = 1
		}, RuleAutoscale, "HorizontalPodAutoscaler/cleaner", "minReplicas 2 is above maxReplicas 1"},
		{"HPA on a resource not requested", "base", func(t *testing.T, s *Set) {
			delete(deployment(t, s, "classifier").Spec.Template.Spec.Containers[0].Resources.Requests, corev1.ResourceCPU)
		}, RuleAutoscale, "HorizontalPodAutoscaler/classifier", "scales on cpu utilization but container classifier of Deployment/classifier requests no cpu"},
		{"PDB without a budget", "base", func(t *testing.T, s *Set) {
			s.Get("PodDisruptionBudget", "newspipe", "sink").Obj.(*policyv1.PodDisruptionBudget).Spec.MaxUnavailable = nil
		}, RuleDisruption, "PodDisruptionBudget/sink", "sets neither minAvailable nor maxUnavailable"},
		{"StatefulSet without its Service", "base", func(t *testing.T, s *Set) { remove(s, "Service", "nats-headless") },
			RuleStatefulSet, "StatefulSet/nats", `serviceName "nats-headless": no such Service`},
		{"KEDA without a maximum", "overlays/prod", func(t *testing.T, s *Set) {
			s.Get("ScaledObject", "newspipe", "cleaner").Obj.(*ScaledObject).Spec.MaxReplicaCount = nil
		}, RuleAutoscale, "ScaledObject/cleaner", "spec.maxReplicaCount is unset"},
		{"KEDA fallback above the maximum", "overlays/prod", func(t *testing.T, s *Set) {
			s.Get("ScaledObject", "newspipe", "classifier").Obj.(*ScaledObject).Spec.Fallback.Replicas = 20
		}, RuleAutoscale, "ScaledObject/classifier", "fallback.replicas 20 is outside 2..6"},
		{"KEDA lag threshold not a number", "overlays/prod", func(t *testing.T, s *Set) {
			s.Get("ScaledObject", "newspipe", "cleaner").Obj.(*ScaledObject).Spec.Triggers[0].Metadata["lagThreshold"] = "lots"
		}, RuleAutoscale, "ScaledObject/cleaner", `lagThreshold "lots" is not a positive integer`},
		{"KEDA without the account", "overlays/prod", func(t *testing.T, s *Set) {
			delete(s.Get("ScaledObject", "newspipe", "cleaner").Obj.(*ScaledObject).Spec.Triggers[0].Metadata, "account")
		}, RuleAutoscale, "ScaledObject/cleaner", "metadata.account is missing"},
		{"KEDA endpoint on a missing port", "overlays/prod", func(t *testing.T, s *Set) {
			s.Get("ScaledObject", "newspipe", "cleaner").Obj.(*ScaledObject).Spec.Triggers[0].Metadata["natsServerMonitoringEndpoint"] = "nats-headless.newspipe.svc.cluster.local:8223"
		}, RuleAutoscale, "ScaledObject/cleaner", "Service nats-headless has no port 8223"},
		{"alert rule without expr", "overlays/prod", func(t *testing.T, s *Set) {
			s.Get("PrometheusRule", "newspipe", "newspipe").Obj.(*PrometheusRule).Spec.Groups[0].Rules[0].Expr = ""
		}, RuleMonitoring, "PrometheusRule/newspipe", "rule NewspipeNewAgreement has no expr"},
		{"alert rule with a bad for", "overlays/prod", func(t *testing.T, s *Set) {
			s.Get("PrometheusRule", "newspipe", "newspipe").Obj.(*PrometheusRule).Spec.Groups[0].Rules[1].For = "a while"
		}, RuleMonitoring, "PrometheusRule/newspipe", `for "a while" is not a duration`},
		{"rule both alert and record", "overlays/prod", func(t *testing.T, s *Set) {
			s.Get("PrometheusRule", "newspipe", "newspipe").Obj.(*PrometheusRule).Spec.Groups[0].Rules[0].Record = "x"
		}, RuleMonitoring, "PrometheusRule/newspipe", "exactly one of alert and record"},
		{"R3 streams on one NATS server", "overlays/dev", func(t *testing.T, s *Set) {
			s.Get("ConfigMap", "newspipe", "newspipe-config").Obj.(*corev1.ConfigMap).Data["STREAM_REPLICAS"] = "3"
		}, RuleReplication, "Deployment/cleaner", "STREAM_REPLICAS 3, but StatefulSet nats runs 1 server(s)"},
		{"a registry's image is still a stage", "base", func(t *testing.T, s *Set) {
			spec := &deployment(t, s, "sink").Spec.Template.Spec
			spec.Containers[0].Image = "registry.example:5000/team/newspipe/sink:1.0.0"
			spec.Containers[0].Env = dropEnv(spec.Containers[0].Env, "NATS_NKEY_SEED")
		}, RuleCredentials, "Deployment/sink", "gets no NATS credentials from a Secret"},
		{"PodMonitor selecting nothing", "overlays/prod", func(t *testing.T, s *Set) {
			s.Get("PodMonitor", "newspipe", "newspipe-stages").Obj.(*PodMonitor).Spec.Selector.MatchLabels["app.kubernetes.io/component"] = "ghost"
		}, RuleMonitoring, "PodMonitor/newspipe-stages", "matches no pod template"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := render(t, tc.build)
			tc.mutate(t, s)
			problems := Policy(s)
			for _, p := range problems {
				if p.Rule == tc.rule && p.Kind+"/"+p.Name == tc.ref && strings.Contains(p.Message, tc.msg) {
					return
				}
			}
			t.Errorf("no %s problem %q on %s; got %v", tc.rule, tc.msg, tc.ref, problems)
		})
	}
}

func dropEnv(env []corev1.EnvVar, name string) []corev1.EnvVar {
	var out []corev1.EnvVar
	for _, e := range env {
		if e.Name != name {
			out = append(out, e)
		}
	}
	return out
}
