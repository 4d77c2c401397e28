#include "elevenlabshealthprobe.h"

#include "boundedreply.h"
#include "elevenlabsrequests.h"
#include "replyinterpretation.h"

#include <QDateTime>
#include <QNetworkAccessManager>

#include <utility>

namespace breakwater {

namespace {

// The real model list is a few kilobytes.
constexpr qint64 kMaxModelsBody = qint64{1024} * 1024;
constexpr qint64 kMaxErrorBody = qint64{64} * 1024;

} // namespace

ElevenLabsHealthProbe::ElevenLabsHealthProbe(const ElevenLabsSettings& settings,
                                             QNetworkAccessManager& network, QObject* parent)
    : QObject(parent)
    , m_settings(settings)
    , m_network(network)
{
    m_settings.apiKey = elevenlabs::resolveApiKey(settings.apiKey);
}

ElevenLabsHealthProbe::~ElevenLabsHealthProbe()
{
    abort();
}

void ElevenLabsHealthProbe::probe(Done done)
{
    const std::uint64_t id = ++m_lastId;
    if (!elevenlabs::isUsableBaseUrl(m_settings.baseUrl)) {
        m_inFlight.emplace(id, InFlight{nullptr, std::move(done)});
        ServiceError error = ServiceError::permanent(
            QStringLiteral("model list request: the base URL is not an http(s) URL with a host"));
        error.vendorCode = QStringLiteral("invalid_base_url");
        QMetaObject::invokeMethod(
            this, [this, id, error] { complete(id, error); }, Qt::QueuedConnection);
        return;
    }

    const elevenlabs::ExchangeDescription exchange{
        QStringLiteral("model list request"),
        ReplyLimits{m_settings.probeTimeout, kMaxModelsBody, kMaxErrorBody}};
    QNetworkReply* reply = m_network.get(elevenlabs::modelsRequest(m_settings));
    auto* bounded = new BoundedReply(
        reply, exchange.limits,
        [this, id, exchange](const BoundedReplyOutcome& outcome) {
            std::optional<ServiceError> verdict =
                elevenlabs::modelsProbeVerdict(outcome, exchange, QDateTime::currentDateTimeUtc());
            elevenlabs::redactSecret(verdict, m_settings.apiKey);
            complete(id, verdict);
        },
        this);
    m_inFlight.emplace(id, InFlight{bounded, std::move(done)});
}

void ElevenLabsHealthProbe::abort()
{
    // Taken out first: deleting an exchange must not find itself still listed.
    auto dropped = std::exchange(m_inFlight, {});
    for (auto& [id, inFlight] : dropped)
        delete inFlight.exchange;
}

void ElevenLabsHealthProbe::complete(std::uint64_t id, const std::optional<ServiceError>& error)
{
    const auto found = m_inFlight.find(id);
    if (found == m_inFlight.end())
        return; // aborted
    InFlight finished = std::move(found->second);
    m_inFlight.erase(found);
    if (finished.exchange)
        finished.exchange->deleteLater();
    if (finished.done)
        finished.done(error);
}

} // namespace breakwater
