{{/*
Names and labels. Resource names are truncated to 63 characters (DNS label limit).
*/}}
{{- define "valv.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "valv.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "valv.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "valv.selectorLabels" -}}
app.kubernetes.io/name: {{ include "valv.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "valv.labels" -}}
helm.sh/chart: {{ include "valv.chart" . }}
{{ include "valv.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: server
app.kubernetes.io/part-of: valv
{{- end }}

{{- define "valv.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "valv.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image reference: a digest pins it; otherwise the tag, defaulting to the chart's appVersion.
*/}}
{{- define "valv.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/*
An environment variable read from an existing secret. Secrets are only ever referenced, never
rendered: the chart has no way to put a secret value into a manifest.
Arguments: (list NAME SECRET KEY).
*/}}
{{- define "valv.secretEnv" -}}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ index . 1 | quote }}
      key: {{ index . 2 | quote }}
{{- end }}

{{/*
Fails the render, with a pointer to the values key, when a required setting is missing or
inconsistent. `helm lint` only reports these (lint runs without your values file).
*/}}
{{- define "valv.validate" -}}
{{- $ := . }}
{{- if not .Values.crypto.masterKeys }}
{{- fail "crypto.masterKeys: name at least one existing secret holding a master key, e.g. [{version: 1, existingSecret: valv-master-key-v1, key: key}] (see helm/valv/README.md)" }}
{{- end }}
{{- $versions := list }}
{{- range .Values.crypto.masterKeys }}
{{- if has (int .version) $versions }}
{{- fail (printf "crypto.masterKeys: version %d is listed twice" (int .version)) }}
{{- end }}
{{- $versions = append $versions (int .version) }}
{{- end }}
{{- if not (has (int .Values.crypto.activeVersion) $versions) }}
{{- fail (printf "crypto.activeVersion %d names no entry of crypto.masterKeys" (int .Values.crypto.activeVersion)) }}
{{- end }}
{{- if .Values.autoscaling.enabled }}
{{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) }}
{{- fail "autoscaling.minReplicas must not exceed autoscaling.maxReplicas" }}
{{- end }}
{{- end }}
{{- if .Values.networkPolicy.enabled }}
{{- range $name := list "database" "s3" "oidc" }}
{{- $dest := index $.Values.networkPolicy.egress $name }}
{{- if and (empty $dest.cidrs) (empty $dest.peers) }}
{{- fail (printf "networkPolicy.egress.%s: give cidrs or peers (use 0.0.0.0/0 to allow any address on port %d deliberately)" $name (int $dest.port)) }}
{{- end }}
{{- end }}
{{- end }}
{{- $grace := int .Values.terminationGracePeriodSeconds }}
{{- if le $grace (int .Values.preStopSleepSeconds) }}
{{- fail "terminationGracePeriodSeconds must exceed preStopSleepSeconds" }}
{{- end }}
{{- end }}

{{/*
The chart-managed, non-secret settings as environment variables (ConfigMap data). Secrets are
referenced by the Deployment with secretKeyRef and never appear here.
*/}}
{{- define "valv.config" -}}
# Database (user and password come from database.credentials.existingSecret)
QUARKUS_DATASOURCE_JDBC_URL: {{ required "database.jdbcUrl is required, e.g. jdbc:postgresql://db.example.com:5432/valv?sslmode=verify-full" .Values.database.jdbcUrl | quote }}
QUARKUS_DATASOURCE_JDBC_MAX_SIZE: {{ .Values.database.maxPoolSize | quote }}
# Identity
QUARKUS_OIDC_AUTH_SERVER_URL: {{ required "oidc.authServerUrl is required: the OIDC issuer URL, e.g. https://id.example.com/realms/valv" .Values.oidc.authServerUrl | quote }}
{{- with .Values.oidc.clientId }}
QUARKUS_OIDC_CLIENT_ID: {{ . | quote }}
{{- end }}
QUARKUS_OIDC_TOKEN_AUDIENCE: {{ required "oidc.tokenAudience is required: the audience (aud) Valv's access tokens carry, e.g. valv; without it any token of the issuer, minted for any client, would be accepted" .Values.oidc.tokenAudience | quote }}
VALV_SECURITY_TENANT_CLAIM: {{ .Values.oidc.tenantClaim | quote }}
{{- with .Values.oidc.tenantRolePrefix }}
VALV_SECURITY_TENANT_ROLE_PREFIX: {{ . | quote }}
{{- end }}
# Staff portal (its client secret and session key come from portal.secrets)
QUARKUS_OIDC_PORTAL_TENANT_ENABLED: {{ .Values.portal.enabled | quote }}
QUARKUS_OIDC_PORTAL_CLIENT_ID: {{ .Values.portal.clientId | quote }}
{{- with .Values.portal.publicUrl }}
VALV_PORTAL_PUBLIC_URL: {{ . | quote }}
{{- if hasPrefix "https://" . }}
QUARKUS_OIDC_PORTAL_AUTHENTICATION_FORCE_REDIRECT_HTTPS_SCHEME: "true"
{{- end }}
{{- end }}
# Crypto (master keys come from crypto.masterKeys secrets)
VALV_CRYPTO_ACTIVE_MASTER_KEY_VERSION: {{ .Values.crypto.activeVersion | quote }}
VALV_CRYPTO_WARM_UP_MEBIBYTES: {{ .Values.crypto.warmUpMebibytes | quote }}
# Object storage
VALV_STORAGE_SUB_PROCESSOR: {{ .Values.storage.subProcessor | quote }}
VALV_STORAGE_S3_BUCKET: {{ .Values.storage.s3.bucket | quote }}
{{- with .Values.storage.s3.endpoint }}
VALV_STORAGE_S3_ENDPOINT: {{ . | quote }}
{{- end }}
VALV_STORAGE_S3_REGION: {{ .Values.storage.s3.region | quote }}
VALV_STORAGE_S3_PATH_STYLE: {{ .Values.storage.s3.pathStyle | quote }}
VALV_STORAGE_S3_CREATE_BUCKET: {{ .Values.storage.s3.createBucket | quote }}
VALV_STORAGE_S3_SEGMENTS_PER_PART: {{ .Values.storage.s3.segmentsPerPart | quote }}
VALV_STORAGE_S3_PARTS_IN_FLIGHT: {{ .Values.storage.s3.partsInFlight | quote }}
# Uploads
VALV_UPLOAD_MAX_SIZE: {{ .Values.upload.maxSize | quote }}
VALV_UPLOAD_STALE_AFTER: {{ .Values.upload.staleAfter | quote }}
VALV_UPLOAD_SWEEP_EVERY: {{ .Values.upload.sweepEvery | quote }}
# Purge and certificates of deletion (the signing key comes from certificates.signingKeyStore)
VALV_PURGE_EVERY: {{ .Values.purge.every | quote }}
VALV_PURGE_BATCH_SIZE: {{ .Values.purge.batchSize | quote }}
VALV_CERTIFICATES_ISSUER: {{ .Values.certificates.issuer | quote }}
VALV_CERTIFICATES_BACKUP_RETENTION_DAYS: {{ .Values.certificates.backupRetentionDays | quote }}
{{- with .Values.certificates.processorOrgNumber }}
VALV_CERTIFICATES_PROCESSOR_ORG_NUMBER: {{ . | quote }}
{{- end }}
{{- with .Values.certificates.processorAddress }}
VALV_CERTIFICATES_PROCESSOR_ADDRESS: {{ . | quote }}
{{- end }}
{{- with .Values.certificates.processorContact }}
VALV_CERTIFICATES_PROCESSOR_CONTACT: {{ . | quote }}
{{- end }}
# Access log (the checkpoint key comes from audit.checkpointKey)
VALV_AUDIT_PERSONAL_DATA: {{ .Values.audit.personalData | quote }}
# Runtime
QUARKUS_SHUTDOWN_TIMEOUT: {{ .Values.shutdownTimeout | quote }}
JAVA_OPTS_APPEND: {{ printf "-Dquarkus.http.host=0.0.0.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager -XX:MaxRAMPercentage=%v %s" .Values.jvm.maxRamPercentage .Values.jvm.extraOptions | trim | quote }}
{{- end }}
