#pragma once

#include "elevenlabshealthprobe.h"
#include "services/elevenlabssettings.h"
#include "services/ttsservice.h"

#include <QNetworkAccessManager>
#include <QObject>

#include <unordered_map>

namespace breakwater {

class BoundedReply;

// The real ElevenLabs text-to-speech client (or anything speaking its API: the simulator, a
// proxy). Lives on the thread that created it, the pipeline's, and owns its network access.
//
// - done is always called later from the event loop, never inside synthesize(), even for an
//   unusable base URL; cancel() before that means it is never called.
// - One deadline (settings.timeout) covers connect to last byte, so hanging and dripping servers
//   end as ServiceError::timedOut.
// - The body is read as it arrives: past settings.maxResponseBytes (announced or delivered) the
//   request is dropped as a permanent, request-scoped "response_too_large".
// - Redirects are not followed (they could carry the key elsewhere): "unexpected_redirect".
// - A 2xx that is not audio is transient: "unexpected_content_type", "empty_audio",
//   "truncated_response" (a body shorter than its Content-Length).
// - HTTP errors go through classify::fromElevenLabsResponse; messages never hold the key.
// Do not delete the client from inside a done callback; deleteLater() it.
class ElevenLabsClient final : public QObject, public TtsService
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ElevenLabsClient)

public:
    // An empty settings.apiKey falls back to ELEVENLABS_API_KEY, read here once; with neither,
    // requests go without a key and the service's 401 says so.
    explicit ElevenLabsClient(const ElevenLabsSettings& settings, QObject* parent = nullptr);
    ~ElevenLabsClient() override;

    QString name() const override;
    RequestId synthesize(const SynthesisRequest& request, Done done) override;
    void cancel(RequestId id) override;
    HealthProbe& healthProbe() override { return m_probe; }

    quint64 requestsStarted() const noexcept { return m_requestsStarted; }
    quint64 bytesReceived() const noexcept { return m_bytesReceived; } // response bodies
    int requestsInFlight() const noexcept { return static_cast<int>(m_inFlight.size()); }

private:
    struct InFlight
    {
        BoundedReply* exchange = nullptr; // null when it failed before any request
        Done done;
    };

    void complete(RequestId id, const SynthesisResult& result);

    ElevenLabsSettings m_settings;
    QNetworkAccessManager m_network;
    ElevenLabsHealthProbe m_probe;
    std::unordered_map<RequestId, InFlight> m_inFlight;
    RequestId m_lastId = 0;
    quint64 m_requestsStarted = 0;
    quint64 m_bytesReceived = 0;
};

} // namespace breakwater
