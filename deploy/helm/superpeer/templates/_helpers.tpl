{{/* Chart name, overridable. */}}
{{- define "superpeer.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Fully qualified app name; the release name alone when it already contains the chart name. */}}
{{- define "superpeer.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "superpeer.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels: only name and instance (immutable in StatefulSets and Deployments). */}}
{{- define "superpeer.selectorLabels" -}}
app.kubernetes.io/name: {{ include "superpeer.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Common labels on every object. */}}
{{- define "superpeer.labels" -}}
helm.sh/chart: {{ include "superpeer.chart" . }}
{{ include "superpeer.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: superpeer
{{- end -}}

{{/* Component names: call with (dict "ctx" $ "component" "supernode"). */}}
{{- define "superpeer.componentName" -}}
{{- printf "%s-%s" (include "superpeer.fullname" .ctx) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "superpeer.componentSelectorLabels" -}}
{{ include "superpeer.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "superpeer.componentLabels" -}}
{{ include "superpeer.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "superpeer.supernodeName" -}}
{{- include "superpeer.componentName" (dict "ctx" . "component" "supernode") -}}
{{- end -}}

{{- define "superpeer.supernodeHeadless" -}}
{{- printf "%s-headless" (include "superpeer.supernodeName" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "superpeer.peerName" -}}
{{- include "superpeer.componentName" (dict "ctx" . "component" "peer") -}}
{{- end -}}

{{- define "superpeer.redisName" -}}
{{- include "superpeer.componentName" (dict "ctx" . "component" "redis") -}}
{{- end -}}

{{- define "superpeer.clientServiceName" -}}
{{- include "superpeer.componentName" (dict "ctx" . "component" "client") -}}
{{- end -}}

{{- define "superpeer.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "superpeer.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "superpeer.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Seeds: the stable headless DNS name of every supernode pod. */}}
{{- define "superpeer.seeds" -}}
{{- $seeds := list -}}
{{- $pod := include "superpeer.supernodeName" . -}}
{{- $svc := include "superpeer.supernodeHeadless" . -}}
{{- range $i := until (int .Values.supernode.replicas) -}}
{{- $seeds = append $seeds (printf "%s-%d.%s.%s.svc.%s:%d" $pod $i $svc $.Release.Namespace $.Values.clusterDomain (int $.Values.overlay.grpcPort)) -}}
{{- end -}}
{{- join "," $seeds -}}
{{- end -}}

{{/* Secret holding SUPERPEER_SECRET. */}}
{{- define "superpeer.overlaySecretName" -}}
{{- default (printf "%s-overlay" (include "superpeer.fullname" .)) .Values.overlay.secret.existingSecret -}}
{{- end -}}

{{/* Secret holding SUPERPEER_REDIS_URL. */}}
{{- define "superpeer.redisSecretName" -}}
{{- if and (not .Values.redis.enabled) .Values.redis.external.existingSecret -}}
{{- .Values.redis.external.existingSecret -}}
{{- else -}}
{{- printf "%s-redis-url" (include "superpeer.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* Secret holding the bundled Redis's password (requirepass and SUPERPEER_REDIS_PASSWORD). */}}
{{- define "superpeer.redisPasswordSecretName" -}}
{{- default (printf "%s-redis" (include "superpeer.fullname" .)) .Values.redis.auth.existingSecret -}}
{{- end -}}

{{- define "superpeer.redisPasswordSecretKey" -}}
{{- if .Values.redis.auth.existingSecret -}}
{{- .Values.redis.auth.existingSecretKey -}}
{{- else -}}
password
{{- end -}}
{{- end -}}

{{- define "superpeer.redisSecretKey" -}}
{{- if and (not .Values.redis.enabled) .Values.redis.external.existingSecret -}}
{{- .Values.redis.external.existingSecretKey -}}
{{- else -}}
url
{{- end -}}
{{- end -}}

{{/*
The TLS Secret of a component (supernode, peer, or client for the helm test
Pod): per role with tls.certManager.perRole, else one for all. Call with
(dict "ctx" $ "component" "supernode|peer|client").
*/}}
{{- define "superpeer.tlsSecretName" -}}
{{- $v := .ctx.Values -}}
{{- if $v.tls.certManager.enabled -}}
{{- if and $v.tls.certManager.perRole .component -}}
{{- printf "%s-%s-tls" (include "superpeer.fullname" .ctx) .component -}}
{{- else -}}
{{- printf "%s-tls" (include "superpeer.fullname" .ctx) -}}
{{- end -}}
{{- else -}}
{{- required "tls.existingSecret is required when tls.enabled and tls.certManager.enabled is false" $v.tls.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* Pod security context shared by every pod of the chart. */}}
{{- define "superpeer.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext -}}
{{- end -}}

{{- define "superpeer.containerSecurityContext" -}}
{{- toYaml .Values.containerSecurityContext -}}
{{- end -}}
