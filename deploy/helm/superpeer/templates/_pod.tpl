{{/*
Pod template of an overlay node. Call with
(dict "ctx" $ "component" "supernode|peer" "role" "supernode|auto" "cfg" .Values.<component>).
*/}}
{{- define "superpeer.overlayPod" -}}
{{- $ctx := .ctx -}}
{{- $v := $ctx.Values -}}
{{- $cfg := .cfg -}}
metadata:
  labels:
    {{- include "superpeer.componentLabels" (dict "ctx" $ctx "component" .component) | nindent 4 }}
    {{- with $cfg.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/share: {{ toYaml $v.share.files | sha256sum }}
    {{- with $cfg.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "superpeer.serviceAccountName" $ctx }}
  automountServiceAccountToken: true
  terminationGracePeriodSeconds: {{ $cfg.terminationGracePeriodSeconds }}
  enableServiceLinks: false
  securityContext:
    {{- include "superpeer.podSecurityContext" $ctx | nindent 4 }}
  {{- with $v.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if $v.share.files }}
  initContainers:
    - name: seed-share
      image: {{ include "superpeer.image" $ctx }}
      imagePullPolicy: {{ $v.image.pullPolicy }}
      # Copies the seeded files into the writable share directory.
      command: ["cp", "-L", "-r", "/seed/.", "/data/share/"]
      securityContext:
        {{- include "superpeer.containerSecurityContext" $ctx | nindent 8 }}
      resources:
        requests: {cpu: 10m, memory: 16Mi}
        limits: {memory: 64Mi}
      volumeMounts:
        - {name: share, mountPath: /data/share}
        - {name: seed, mountPath: /seed, readOnly: true}
  {{- end }}
  containers:
    - name: node
      image: {{ include "superpeer.image" $ctx }}
      imagePullPolicy: {{ $v.image.pullPolicy }}
      args: ["node"]
      ports:
        - {name: grpc, containerPort: {{ $v.overlay.grpcPort }}, protocol: TCP}
        - {name: http, containerPort: {{ $v.overlay.httpPort }}, protocol: TCP}
      env:
        - name: SUPERPEER_NODE_ID
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        - name: SUPERPEER_ROLE
          value: {{ .role | quote }}
        - name: SUPERPEER_MODE
          value: {{ $v.overlay.mode | quote }}
        - name: SUPERPEER_GRPC_LISTEN
          value: {{ printf "0.0.0.0:%d" (int $v.overlay.grpcPort) | quote }}
        - name: SUPERPEER_HTTP_LISTEN
          value: {{ printf "0.0.0.0:%d" (int $v.overlay.httpPort) | quote }}
        - name: SUPERPEER_ADVERTISE_HOST
          valueFrom: {fieldRef: {fieldPath: status.podIP}}
        - name: SUPERPEER_K8S_NODE_NAME
          valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
        {{- if $v.overlay.zone }}
        - name: SUPERPEER_ZONE
          value: {{ $v.overlay.zone | quote }}
        {{- end }}
        - name: SUPERPEER_SEEDS
          value: {{ include "superpeer.seeds" $ctx | quote }}
        - name: SUPERPEER_SHARE_DIR
          value: /data/share
        - name: SUPERPEER_FIREWALLED
          value: {{ and (eq .component "peer") $v.peer.firewalled | toString | quote }}
        - name: SUPERPEER_LEAF_CAPACITY
          value: {{ $v.overlay.leafCapacity | quote }}
        - name: SUPERPEER_UPLINKS
          value: {{ $v.overlay.uplinks | quote }}
        - name: SUPERPEER_MAX_LINKS
          value: {{ $v.overlay.maxLinks | quote }}
        - name: SUPERPEER_SEARCH_TTL
          value: {{ $v.overlay.searchTtl | quote }}
        - name: SUPERPEER_UPLOAD_SLOTS
          value: {{ $v.overlay.uploadSlots | quote }}
        - name: SUPERPEER_LOG_LEVEL
          value: {{ $v.overlay.logLevel | quote }}
        - name: SUPERPEER_GRPC_MAX_CONNECTION_AGE_MS
          value: {{ $v.overlay.grpcMaxConnectionAgeMs | int64 | toString | quote }}
        - name: SUPERPEER_SECRET
          valueFrom:
            secretKeyRef:
              name: {{ include "superpeer.overlaySecretName" $ctx }}
              key: {{ $v.overlay.secret.key }}
        {{- if $v.registry.enabled }}
        - name: SUPERPEER_REDIS_URL
          valueFrom:
            secretKeyRef:
              name: {{ include "superpeer.redisSecretName" $ctx }}
              key: {{ include "superpeer.redisSecretKey" $ctx }}
        {{- if and $v.redis.enabled $v.redis.auth.enabled }}
        - name: SUPERPEER_REDIS_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {{ include "superpeer.redisPasswordSecretName" $ctx }}
              key: {{ include "superpeer.redisPasswordSecretKey" $ctx }}
        {{- end }}
        {{- if and (not $v.redis.enabled) $v.redis.external.tlsCaSecret }}
        - name: SUPERPEER_REDIS_TLS_CA
          value: /etc/superpeer/redis-tls/ca.crt
        {{- end }}
        {{- end }}
        {{- if $v.tls.enabled }}
        - name: SUPERPEER_TLS_CERT
          value: /etc/superpeer/tls/tls.crt
        - name: SUPERPEER_TLS_KEY
          value: /etc/superpeer/tls/tls.key
        - name: SUPERPEER_TLS_CA
          value: /etc/superpeer/tls/ca.crt
        {{- end }}
        {{- with $v.overlay.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- if and $v.probes.grpc (not $v.tls.enabled) }}
      # Liveness asks for the Overlay service (serving while the process runs);
      # readiness for the whole server (not serving before start-up completes
      # and from the first moment of a graceful stop). The startup probe holds
      # both back until the server first answers (a long share scan comes first).
      startupProbe:
        grpc: {port: {{ $v.overlay.grpcPort }}, service: superpeer.v1.Overlay}
        periodSeconds: {{ $v.probes.startup.periodSeconds }}
        failureThreshold: {{ $v.probes.startup.failureThreshold }}
      livenessProbe:
        grpc: {port: {{ $v.overlay.grpcPort }}, service: superpeer.v1.Overlay}
        initialDelaySeconds: {{ $v.probes.liveness.initialDelaySeconds }}
        periodSeconds: {{ $v.probes.liveness.periodSeconds }}
        failureThreshold: {{ $v.probes.liveness.failureThreshold }}
      readinessProbe:
        grpc: {port: {{ $v.overlay.grpcPort }}}
        initialDelaySeconds: {{ $v.probes.readiness.initialDelaySeconds }}
        periodSeconds: {{ $v.probes.readiness.periodSeconds }}
        failureThreshold: {{ $v.probes.readiness.failureThreshold }}
      {{- else }}
      startupProbe:
        httpGet: {path: /healthz, port: http{{ if $v.tls.enabled }}, scheme: HTTPS{{ end }}}
        periodSeconds: {{ $v.probes.startup.periodSeconds }}
        failureThreshold: {{ $v.probes.startup.failureThreshold }}
      livenessProbe:
        httpGet: {path: /healthz, port: http{{ if $v.tls.enabled }}, scheme: HTTPS{{ end }}}
        initialDelaySeconds: {{ $v.probes.liveness.initialDelaySeconds }}
        periodSeconds: {{ $v.probes.liveness.periodSeconds }}
        failureThreshold: {{ $v.probes.liveness.failureThreshold }}
      readinessProbe:
        httpGet: {path: /readyz, port: http{{ if $v.tls.enabled }}, scheme: HTTPS{{ end }}}
        initialDelaySeconds: {{ $v.probes.readiness.initialDelaySeconds }}
        periodSeconds: {{ $v.probes.readiness.periodSeconds }}
        failureThreshold: {{ $v.probes.readiness.failureThreshold }}
      {{- end }}
      resources:
        {{- toYaml $cfg.resources | nindent 8 }}
      securityContext:
        {{- include "superpeer.containerSecurityContext" $ctx | nindent 8 }}
      volumeMounts:
        - {name: share, mountPath: /data/share}
        - {name: tmp, mountPath: /tmp}
        {{- if $v.tls.enabled }}
        - {name: tls, mountPath: /etc/superpeer/tls, readOnly: true}
        {{- end }}
        {{- if and $v.registry.enabled (not $v.redis.enabled) $v.redis.external.tlsCaSecret }}
        - {name: redis-tls, mountPath: /etc/superpeer/redis-tls, readOnly: true}
        {{- end }}
  volumes:
    - name: share
      emptyDir: {sizeLimit: {{ $v.share.sizeLimit }}}
    - name: tmp
      emptyDir: {sizeLimit: 64Mi}
    {{- if $v.share.files }}
    - name: seed
      configMap: {name: {{ printf "%s-share" (include "superpeer.fullname" $ctx) }}}
    {{- end }}
    {{- if $v.tls.enabled }}
    - name: tls
      secret: {secretName: {{ include "superpeer.tlsSecretName" (dict "ctx" $ctx "component" .component) }}}
    {{- end }}
    {{- if and $v.registry.enabled (not $v.redis.enabled) $v.redis.external.tlsCaSecret }}
    - name: redis-tls
      secret: {secretName: {{ $v.redis.external.tlsCaSecret }}, items: [{key: ca.crt, path: ca.crt}]}
    {{- end }}
  {{- with $cfg.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $cfg.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $cfg.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if $cfg.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml $cfg.topologySpreadConstraints | nindent 4 }}
  {{- else if $v.topologySpread.enabled }}
  topologySpreadConstraints:
    - maxSkew: {{ $v.topologySpread.maxSkew }}
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: {{ $v.topologySpread.whenUnsatisfiable }}
      labelSelector:
        matchLabels:
          {{- include "superpeer.componentSelectorLabels" (dict "ctx" $ctx "component" .component) | nindent 10 }}
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "superpeer.componentSelectorLabels" (dict "ctx" $ctx "component" .component) | nindent 10 }}
  {{- end }}
{{- end -}}
