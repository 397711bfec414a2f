{{/* vim: set filetype=mustache: */}}

{{- define "tanso.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-<chart>, or the release name when it already contains the chart name. */}}
{{- define "tanso.fullname" -}}
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

{{/* A name derived from the full name: (dict "ctx" $ "suffix" "postgresql"). */}}
{{- define "tanso.componentName" -}}
{{- printf "%s-%s" (include "tanso.fullname" .ctx | trunc (int (sub 62 (len .suffix)))) .suffix | trimSuffix "-" -}}
{{- end -}}

{{- define "tanso.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tanso.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "tanso.labels" -}}
{{ include "tanso.selectorLabels" . }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tanso
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of one component: (dict "ctx" $ "component" "apps"). */}}
{{- define "tanso.componentLabels" -}}
{{ include "tanso.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "tanso.componentSelectorLabels" -}}
{{ include "tanso.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* metadata.annotations of every resource, with extra ones: (dict "ctx" $ "extra" dict). */}}
{{- define "tanso.annotations" -}}
{{- $all := merge (deepCopy (default dict .extra)) (deepCopy .ctx.Values.commonAnnotations) -}}
{{- with $all -}}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end -}}
{{- end -}}

{{- define "tanso.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s/%s@%s" .Values.image.registry .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s/%s:%s" .Values.image.registry .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "tanso.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tanso.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "tanso.configMapName" -}}
{{- include "tanso.fullname" . -}}
{{- end -}}

{{/* The ConfigMap of the news pipeline's feed list (templates/news-feeds.yaml). */}}
{{- define "tanso.newsFeedsName" -}}
{{- include "tanso.componentName" (dict "ctx" . "suffix" "news-feeds") -}}
{{- end -}}

{{/* Where every Tanso pod sees it: a folder directly in the image's project root
(TANSO_PROJECT_ROOT=/app), like catalog/, so the relative paths of catalog/feeds.yaml
(../data/news_sample/…) reach the image's data/ unchanged. */}}
{{- define "tanso.newsFeedsDir" -}}
/app/news-feeds
{{- end -}}

{{/* The feed list's YAML: news.feeds (a mapping or its text), else the repository's
catalog/feeds.yaml (files/feeds.yaml links to it); refused unless it lists feeds. */}}
{{- define "tanso.newsFeeds" -}}
{{- $feeds := .Values.news.feeds }}
{{- $text := .Files.Get "files/feeds.yaml" }}
{{- if and (kindIs "map" $feeds) $feeds }}
{{- $text = toYaml $feeds }}
{{- else if and (kindIs "string" $feeds) (trim $feeds) }}
{{- $text = $feeds }}
{{- end }}
{{- $parsed := fromYaml $text }}
{{- if or (hasKey $parsed "Error") (not (kindIs "slice" $parsed.feeds)) (not $parsed.feeds) }}
{{- fail "news.feeds: must be a mapping (or its YAML text) with a non-empty `feeds` list of {name, url}, as in catalog/feeds.yaml" }}
{{- end }}
{{- $text }}
{{- end -}}

{{/* The Secret holding DATABASE_URL, PANEL_COOKIE_SECRET and the API keys. */}}
{{- define "tanso.secretName" -}}
{{- default (include "tanso.fullname" .) .Values.secret.existingSecret -}}
{{- end -}}

{{- define "tanso.postgresql.fullname" -}}
{{- include "tanso.componentName" (dict "ctx" . "suffix" "postgresql") -}}
{{- end -}}

{{- define "tanso.postgresql.secretName" -}}
{{- default (include "tanso.postgresql.fullname" .) .Values.postgresql.auth.existingSecret -}}
{{- end -}}

{{/*
A secret value that is generated once and then kept: the given value, else the value already
in the cluster (lookup; empty when rendering offline), else a new random one. The result is
memoised in .Values so every template of one render agrees.
(dict "ctx" $ "secret" name "key" key "value" given "length" n)
*/}}
{{- define "tanso.stableSecret" -}}
{{- $memo := printf "__generated_%s_%s" .secret .key | replace "-" "_" -}}
{{- if not (hasKey .ctx.Values $memo) -}}
{{- $value := .value -}}
{{- if not $value -}}
{{- $existing := lookup "v1" "Secret" .ctx.Release.Namespace .secret -}}
{{- if and $existing (hasKey $existing.data .key) -}}
{{- $value = index $existing.data .key | b64dec -}}
{{- else -}}
{{- $value = randAlphaNum (int .length) -}}
{{- end -}}
{{- end -}}
{{- $_ := set .ctx.Values $memo $value -}}
{{- end -}}
{{- index .ctx.Values $memo -}}
{{- end -}}

{{- define "tanso.postgresql.password" -}}
{{- include "tanso.stableSecret" (dict "ctx" . "secret" (include "tanso.postgresql.fullname" .) "key" "postgres-password" "value" .Values.postgresql.auth.password "length" 32) -}}
{{- end -}}

{{- define "tanso.databaseUrl" -}}
{{- if .Values.postgresql.enabled -}}
{{- $auth := .Values.postgresql.auth -}}
{{- printf "postgresql+psycopg://%s:%s@%s:%d/%s" (urlquery $auth.username) (urlquery (include "tanso.postgresql.password" .)) (include "tanso.postgresql.fullname" .) (int .Values.postgresql.port) $auth.database -}}
{{- else -}}
{{- required "set secret.databaseUrl or secret.existingSecret, or enable postgresql" .Values.secret.databaseUrl -}}
{{- end -}}
{{- end -}}

{{/* data: of the Secret the chart creates when no existingSecret is given. */}}
{{- define "tanso.secretData" -}}
DATABASE_URL: {{ include "tanso.databaseUrl" . | b64enc | quote }}
PANEL_COOKIE_SECRET: {{ include "tanso.stableSecret" (dict "ctx" . "secret" (include "tanso.fullname" .) "key" "PANEL_COOKIE_SECRET" "value" .Values.secret.cookieSecret "length" 64) | b64enc | quote }}
TANSO_SECRET_KEY: {{ include "tanso.stableSecret" (dict "ctx" . "secret" (include "tanso.fullname" .) "key" "TANSO_SECRET_KEY" "value" .Values.secret.sessionSecret "length" 64) | b64enc | quote }}
{{- range $name, $value := .Values.secret.apiKeys }}
{{ $name }}: {{ $value | toString | b64enc | quote }}
{{- end }}
{{- end -}}

{{/* Every host a browser may open the app websocket from. */}}
{{- define "tanso.websocketOrigins" -}}
{{- $origins := list -}}
{{- range .Values.config.allowWebsocketOrigin -}}
{{- $origins = append $origins . -}}
{{- end -}}
{{- if .Values.ingress.enabled -}}
{{- $origins = append $origins .Values.ingress.hostname -}}
{{- range .Values.ingress.extraHosts -}}
{{- $origins = append $origins .name -}}
{{- end -}}
{{- end -}}
{{- if not $origins -}}
{{- if and (eq .Values.service.type "NodePort") .Values.service.nodePort -}}
{{- $origins = append $origins (printf "*:%v" .Values.service.nodePort) -}}
{{- else -}}
{{- $origins = append $origins "*" -}}
{{- end -}}
{{- end -}}
{{- $origins | uniq | join "," -}}
{{- end -}}

{{- define "tanso.useXheaders" -}}
{{- if kindIs "bool" .Values.config.useXheaders -}}
{{- .Values.config.useXheaders -}}
{{- else -}}
{{- .Values.ingress.enabled -}}
{{- end -}}
{{- end -}}

{{/* Environment of every Tanso container: the ConfigMap and the Secret. */}}
{{- define "tanso.envFrom" -}}
- configMapRef:
    name: {{ include "tanso.configMapName" . }}
- secretRef:
    name: {{ include "tanso.secretName" . }}
{{- end -}}

{{/* Writable places under a read-only root filesystem. */}}
{{- define "tanso.scratchVolumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: news-feeds
  mountPath: {{ include "tanso.newsFeedsDir" . }}
  readOnly: true
- name: home
  mountPath: /home/tanso
- name: data
  mountPath: {{ .Values.persistence.data.mountPath }}
{{- if .Values.persistence.reports.enabled }}
- name: reports
  mountPath: {{ .Values.persistence.reports.mountPath }}
{{- end }}
{{- end -}}

{{- define "tanso.scratchVolumes" -}}
- name: tmp
  emptyDir: {}
- name: news-feeds
  configMap:
    name: {{ include "tanso.newsFeedsName" . }}
- name: home
  emptyDir: {}
- name: data
{{- if .Values.persistence.data.enabled }}
  persistentVolumeClaim:
    claimName: {{ default (include "tanso.componentName" (dict "ctx" . "suffix" "data")) .Values.persistence.data.existingClaim }}
{{- else }}
  emptyDir: {}
{{- end }}
{{- if .Values.persistence.reports.enabled }}
- name: reports
  persistentVolumeClaim:
    claimName: {{ default (include "tanso.componentName" (dict "ctx" . "suffix" "reports")) .Values.persistence.reports.existingClaim }}
{{- end }}
{{- end -}}

{{/* Pod spec fields shared by apps, migrations and pipelines. */}}
{{- define "tanso.podCommon" -}}
serviceAccountName: {{ include "tanso.serviceAccountName" . }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken }}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}

{{/* The Tanso container's image and security: (dict "ctx" $ "name" "apps"). */}}
{{- define "tanso.containerCommon" -}}
name: {{ .name }}
image: {{ include "tanso.image" .ctx }}
imagePullPolicy: {{ .ctx.Values.image.pullPolicy }}
securityContext:
  {{- toYaml .ctx.Values.containerSecurityContext | nindent 2 }}
envFrom:
  {{- include "tanso.envFrom" .ctx | nindent 2 }}
volumeMounts:
  {{- include "tanso.scratchVolumeMounts" .ctx | nindent 2 }}
{{- end -}}

{{/* Namespace of an optional monitoring object: (dict "ctx" $ "namespace" value). */}}
{{- define "tanso.monitoringNamespace" -}}
{{- default .ctx.Release.Namespace .namespace -}}
{{- end -}}

{{/* CronJob name of a pipeline (<= 52 characters, the CronJob limit): (dict "ctx" $ "pipeline" name). */}}
{{- define "tanso.pipelineCronJobName" -}}
{{- include "tanso.componentName" (dict "ctx" .ctx "suffix" (printf "pipeline-%s" (.pipeline | replace "_" "-"))) | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{- /*
Every pipeline of pipelines/*.yaml (the chart reads them through files/pipelines, a link to the
repository's folder) that has a `schedule:`, as YAML name → CronJob settings: pipelineDefaults,
then the pipeline's overrides under `pipelines.<name>` in values, then the schedule of its file.
Adding a pipeline file adds its CronJob; the schedule is written only in the file.
*/}}
{{- define "tanso.pipelines" -}}
{{- $scheduled := dict }}
{{- $names := list }}
{{- range $path, $_ := .Files.Glob "files/pipelines/*.yaml" }}
{{- $spec := $.Files.Get $path | fromYaml }}
{{- $name := required (printf "%s: no name" $path) $spec.name }}
{{- $names = append $names $name }}
{{- if $spec.schedule }}
{{- $p := mergeOverwrite (deepCopy $.Values.pipelineDefaults) (deepCopy (get $.Values.pipelines $name | default dict)) }}
{{- $_ := set $p "schedule" $spec.schedule }}
{{- $_ := set $scheduled $name $p }}
{{- end }}
{{- end }}
{{- range $name, $_ := .Values.pipelines }}
{{- if not (has $name $names) }}
{{- fail (printf "pipelines.%s: there is no pipeline %q in pipelines/*.yaml" $name $name) }}
{{- end }}
{{- end }}
{{- toYaml $scheduled }}
{{- end -}}
