package check

import (
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
)

// kinds maps each kind deploy-check knows to a new typed object and the
// apiVersion it is served at. Anything else is a problem: the check would
// otherwise pass over objects it cannot read.
var kinds = map[string]func() (any, string){
	"Namespace":               func() (any, string) { return &corev1.Namespace{}, "v1" },
	"ConfigMap":               func() (any, string) { return &corev1.ConfigMap{}, "v1" },
	"Secret":                  func() (any, string) { return &corev1.Secret{}, "v1" },
	"Service":                 func() (any, string) { return &corev1.Service{}, "v1" },
	"ServiceAccount":          func() (any, string) { return &corev1.ServiceAccount{}, "v1" },
	"PersistentVolumeClaim":   func() (any, string) { return &corev1.PersistentVolumeClaim{}, "v1" },
	"Deployment":              func() (any, string) { return &appsv1.Deployment{}, "apps/v1" },
	"StatefulSet":             func() (any, string) { return &appsv1.StatefulSet{}, "apps/v1" },
	"DaemonSet":               func() (any, string) { return &appsv1.DaemonSet{}, "apps/v1" },
	"PodDisruptionBudget":     func() (any, string) { return &policyv1.PodDisruptionBudget{}, "policy/v1" },
	"HorizontalPodAutoscaler": func() (any, string) { return &autoscalingv2.HorizontalPodAutoscaler{}, "autoscaling/v2" },
	"NetworkPolicy":           func() (any, string) { return &networkingv1.NetworkPolicy{}, "networking.k8s.io/v1" },
	"ScaledObject":            func() (any, string) { return &ScaledObject{}, "keda.sh/v1alpha1" },
	"TriggerAuthentication":   func() (any, string) { return &TriggerAuthentication{}, "keda.sh/v1alpha1" },
	"PrometheusRule":          func() (any, string) { return &PrometheusRule{}, "monitoring.coreos.com/v1" },
	"PodMonitor":              func() (any, string) { return &PodMonitor{}, "monitoring.coreos.com/v1" },
}
