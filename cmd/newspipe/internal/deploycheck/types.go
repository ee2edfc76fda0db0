package deploycheck

import (
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"
)

// The types below are typed views of the parts of the Kubernetes API the
// checks read. Decoding is lenient (unknown fields are ignored): the
// checks look for what must be there, not for everything that may be.

type objectMeta struct {
	Name        string            `yaml:"name"`
	Namespace   string            `yaml:"namespace"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

type podTemplate struct {
	Metadata objectMeta `yaml:"metadata"`
	Spec     podSpec    `yaml:"spec"`
}

type podSpec struct {
	Containers                    []container        `yaml:"containers"`
	InitContainers                []container        `yaml:"initContainers"`
	Volumes                       []volume           `yaml:"volumes"`
	TerminationGracePeriodSeconds *int64             `yaml:"terminationGracePeriodSeconds"`
	SecurityContext               podSecurityContext `yaml:"securityContext"`
}

type seccompProfile struct {
	Type string `yaml:"type"`
}

type podSecurityContext struct {
	RunAsNonRoot   *bool           `yaml:"runAsNonRoot"`
	RunAsUser      *int64          `yaml:"runAsUser"`
	SeccompProfile *seccompProfile `yaml:"seccompProfile"`
}

type container struct {
	Name            string                   `yaml:"name"`
	Image           string                   `yaml:"image"`
	Ports           []containerPort          `yaml:"ports"`
	Env             []envVar                 `yaml:"env"`
	EnvFrom         []envFromSource          `yaml:"envFrom"`
	Resources       resourceRequirements     `yaml:"resources"`
	LivenessProbe   *probe                   `yaml:"livenessProbe"`
	ReadinessProbe  *probe                   `yaml:"readinessProbe"`
	StartupProbe    *probe                   `yaml:"startupProbe"`
	SecurityContext containerSecurityContext `yaml:"securityContext"`
	VolumeMounts    []volumeMount            `yaml:"volumeMounts"`
}

type containerPort struct {
	Name          string `yaml:"name"`
	ContainerPort int    `yaml:"containerPort"`
}

type resourceRequirements struct {
	Requests map[string]string `yaml:"requests"`
	Limits   map[string]string `yaml:"limits"`
}

type containerSecurityContext struct {
	RunAsNonRoot             *bool           `yaml:"runAsNonRoot"`
	RunAsUser                *int64          `yaml:"runAsUser"`
	ReadOnlyRootFilesystem   *bool           `yaml:"readOnlyRootFilesystem"`
	AllowPrivilegeEscalation *bool           `yaml:"allowPrivilegeEscalation"`
	Privileged               *bool           `yaml:"privileged"`
	SeccompProfile           *seccompProfile `yaml:"seccompProfile"`
	Capabilities             *struct {
		Add  []string `yaml:"add"`
		Drop []string `yaml:"drop"`
	} `yaml:"capabilities"`
}

type envVar struct {
	Name      string `yaml:"name"`
	Value     string `yaml:"value"`
	ValueFrom *struct {
		ConfigMapKeyRef  *keyRef `yaml:"configMapKeyRef"`
		SecretKeyRef     *keyRef `yaml:"secretKeyRef"`
		ResourceFieldRef *struct {
			ContainerName string `yaml:"containerName"`
			Resource      string `yaml:"resource"`
		} `yaml:"resourceFieldRef"`
		FieldRef *struct {
			FieldPath string `yaml:"fieldPath"`
		} `yaml:"fieldRef"`
	} `yaml:"valueFrom"`
}

type keyRef struct {
	Name     string `yaml:"name"`
	Key      string `yaml:"key"`
	Optional bool   `yaml:"optional"`
}

type nameRef struct {
	Name     string `yaml:"name"`
	Optional bool   `yaml:"optional"`
}

type envFromSource struct {
	Prefix       string   `yaml:"prefix"`
	ConfigMapRef *nameRef `yaml:"configMapRef"`
	SecretRef    *nameRef `yaml:"secretRef"`
}

type volumeMount struct {
	Name      string `yaml:"name"`
	MountPath string `yaml:"mountPath"`
}

type keyItem struct {
	Key string `yaml:"key"`
}

type volume struct {
	Name      string `yaml:"name"`
	ConfigMap *struct {
		Name     string    `yaml:"name"`
		Items    []keyItem `yaml:"items"`
		Optional bool      `yaml:"optional"`
	} `yaml:"configMap"`
	Secret *struct {
		SecretName string    `yaml:"secretName"`
		Items      []keyItem `yaml:"items"`
		Optional   bool      `yaml:"optional"`
	} `yaml:"secret"`
	Projected *struct {
		Sources []struct {
			ConfigMap *struct {
				Name     string    `yaml:"name"`
				Items    []keyItem `yaml:"items"`
				Optional bool      `yaml:"optional"`
			} `yaml:"configMap"`
			Secret *struct {
				Name     string    `yaml:"name"`
				Items    []keyItem `yaml:"items"`
				Optional bool      `yaml:"optional"`
			} `yaml:"secret"`
		} `yaml:"sources"`
	} `yaml:"projected"`
}

type probe struct {
	HTTPGet *struct {
		Port intOrString `yaml:"port"`
	} `yaml:"httpGet"`
	TCPSocket *struct {
		Port intOrString `yaml:"port"`
	} `yaml:"tcpSocket"`
	GRPC *struct {
		Port int `yaml:"port"`
	} `yaml:"grpc"`
	Exec *struct {
		Command []string `yaml:"command"`
	} `yaml:"exec"`
}

// port returns the port the probe aims at; ok is false for exec probes.
func (p *probe) port() (intOrString, bool) {
	switch {
	case p.HTTPGet != nil:
		return p.HTTPGet.Port, true
	case p.TCPSocket != nil:
		return p.TCPSocket.Port, true
	case p.GRPC != nil:
		return intOrString{num: p.GRPC.Port, isNum: true, set: true}, true
	}
	return intOrString{}, false
}

// intOrString is Kubernetes' IntOrString: a port number or name, a count or
// a percentage.
type intOrString struct {
	str   string
	num   int
	isNum bool
	set   bool
}

// UnmarshalYAML keeps the distinction YAML makes: 9090 is a number,
// "9090" a string.
func (v *intOrString) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a number or a string", n.Line)
	}
	v.set = true
	if n.Tag == "!!int" {
		i, err := strconv.Atoi(n.Value)
		if err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		v.num, v.isNum = i, true
		return nil
	}
	v.str = n.Value
	return nil
}

func (v intOrString) String() string {
	if v.isNum {
		return strconv.Itoa(v.num)
	}
	return v.str
}

// workloadSpec covers the spec of every kind that runs pods.
type workloadSpec struct {
	Replicas             *int            `yaml:"replicas"`
	Selector             *labelSelector  `yaml:"selector"`
	Template             podTemplate     `yaml:"template"`
	ServiceName          string          `yaml:"serviceName"`
	VolumeClaimTemplates []claimTemplate `yaml:"volumeClaimTemplates"`
	JobTemplate          *struct {
		Spec struct {
			Template podTemplate `yaml:"template"`
		} `yaml:"spec"`
	} `yaml:"jobTemplate"`
}

type claimTemplate struct {
	Metadata objectMeta `yaml:"metadata"`
}

type serviceSpec struct {
	Type      string            `yaml:"type"`
	ClusterIP string            `yaml:"clusterIP"`
	Selector  map[string]string `yaml:"selector"`
	Ports     []struct {
		Name       string      `yaml:"name"`
		Port       int         `yaml:"port"`
		TargetPort intOrString `yaml:"targetPort"`
	} `yaml:"ports"`
}

type pdbSpec struct {
	Selector       *labelSelector `yaml:"selector"`
	MinAvailable   *intOrString   `yaml:"minAvailable"`
	MaxUnavailable *intOrString   `yaml:"maxUnavailable"`
}

type hpaSpec struct {
	ScaleTargetRef struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Name       string `yaml:"name"`
	} `yaml:"scaleTargetRef"`
	MinReplicas *int `yaml:"minReplicas"`
	MaxReplicas int  `yaml:"maxReplicas"`
	Metrics     []struct {
		Type     string `yaml:"type"`
		Resource *struct {
			Name   string `yaml:"name"`
			Target struct {
				Type string `yaml:"type"`
			} `yaml:"target"`
		} `yaml:"resource"`
		ContainerResource *struct {
			Name      string `yaml:"name"`
			Container string `yaml:"container"`
			Target    struct {
				Type string `yaml:"type"`
			} `yaml:"target"`
		} `yaml:"containerResource"`
	} `yaml:"metrics"`
	// TargetCPUUtilizationPercentage is autoscaling/v1's only metric.
	TargetCPUUtilizationPercentage *int `yaml:"targetCPUUtilizationPercentage"`
}

// decodeInto re-decodes a part of a decoded document into a typed view.
func decodeInto(v any, out any) error {
	if v == nil {
		return nil
	}
	b, err := yaml.Marshal(v)
	if err != nil {
		return err
	}
	return yaml.Unmarshal(b, out)
}
