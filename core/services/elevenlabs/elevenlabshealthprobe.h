#pragma once

#include "health/healthprobe.h"
#include "services/elevenlabssettings.h"

#include <QObject>

#include <cstdint>
#include <unordered_map>

class QNetworkAccessManager;

namespace breakwater {

class BoundedReply;

// GET {base}/v1/models with the key: healthy only for a 200 listing models. Bounded by
// settings.probeTimeout and a 1 MB body cap. done is always called later from the event loop,
// never inside probe(), even when the base URL is unusable. Probes may overlap; abort() drops
// every one in flight, and their done is never called.
class ElevenLabsHealthProbe final : public QObject, public HealthProbe
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ElevenLabsHealthProbe)

public:
    // network must outlive the probe. The API key falls back to ELEVENLABS_API_KEY.
    ElevenLabsHealthProbe(const ElevenLabsSettings& settings, QNetworkAccessManager& network,
                          QObject* parent = nullptr);
    ~ElevenLabsHealthProbe() override;

    void probe(Done done) override;
    void abort() override;

    int probesInFlight() const noexcept { return static_cast<int>(m_inFlight.size()); }

private:
    struct InFlight
    {
        BoundedReply* exchange = nullptr; // null when the probe failed before any request
        Done done;
    };

    void complete(std::uint64_t id, const std::optional<ServiceError>& error);

    ElevenLabsSettings m_settings;
    QNetworkAccessManager& m_network;
    std::unordered_map<std::uint64_t, InFlight> m_inFlight;
    std::uint64_t m_lastId = 0;
};

} // namespace breakwater
