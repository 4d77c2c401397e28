#pragma once

#include "services/elevenlabssettings.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

namespace breakwater::elevenlabs {

// The key to send: the configured one, else ELEVENLABS_API_KEY from the environment, trimmed (an
// environment value often ends in a newline). Empty means no key header at all.
QString resolveApiKey(const QString& configured);

// Only http(s) URLs with a host can carry the key anywhere sensible.
bool isUsableBaseUrl(const QUrl& baseUrl);

// base + encodedPath, keeping the base's own path prefix (a proxy mount such as /proxy).
QUrl endpointUrl(const QUrl& baseUrl, const QByteArray& encodedPath);

// POST {base}/v1/text-to-speech/{voice}?output_format={format}, the voice percent-encoded.
QNetworkRequest synthesisRequest(const ElevenLabsSettings& settings, const QString& voiceId);

// {"text": ..., "model_id": ...}; model_id is left out when empty so the service's default applies.
QByteArray synthesisBody(const QString& text, const QString& modelId);

// GET {base}/v1/models, the cheap probe.
QNetworkRequest modelsRequest(const ElevenLabsSettings& settings);

} // namespace breakwater::elevenlabs
