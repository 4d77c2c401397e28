#pragma once

#include "services/ttsservice.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <map>
#include <mutex>

namespace breakwater::test {

// A text-to-speech service inside the test process: each request is answered by a rule the test
// sets (healthy, a given error, or never), at once or after a delay on the service's thread.
// It exercises the pipeline without a network; the HTTP path has its own tests.
class InProcessTtsService final : public QObject, public breakwater::TtsService
{
public:
    struct Rule
    {
        std::optional<ServiceError> error; // none: succeed
        int delayMs = 0;                   // 0: answer inside synthesize()
        bool hang = false;                 // never answer
    };

    class Probe final : public HealthProbe
    {
    public:
        explicit Probe(InProcessTtsService& service)
            : m_service(service)
        {}
        void probe(Done done) override
        {
            const Rule rule = m_service.rule();
            if (rule.hang)
                return;
            done(rule.error);
        }

    private:
        InProcessTtsService& m_service;
    };

    InProcessTtsService()
        : m_probe(*this)
    {}

    QString name() const override { return QStringLiteral("elevenlabs"); }

    RequestId synthesize(const SynthesisRequest&, Done done) override
    {
        const RequestId id = ++m_nextId;
        m_requests.fetch_add(1, std::memory_order_relaxed);
        const Rule current = rule();
        SynthesisResult result;
        result.error = current.error;
        if (!current.error) {
            result.audio = QByteArrayLiteral("ID3");
            result.contentType = QStringLiteral("audio/mpeg");
        }
        if (current.hang) {
            m_pending.emplace(id, std::move(done));
            return id;
        }
        if (current.delayMs == 0) {
            done(result);
            return id;
        }
        m_pending.emplace(id, std::move(done));
        QTimer::singleShot(current.delayMs, this, [this, id, result] {
            auto it = m_pending.find(id);
            if (it == m_pending.end())
                return; // cancelled
            Done pending = std::move(it->second);
            m_pending.erase(it);
            pending(result);
        });
        return id;
    }

    void cancel(RequestId id) override
    {
        if (m_pending.erase(id) > 0)
            m_cancelled.fetch_add(1, std::memory_order_relaxed);
    }

    HealthProbe& healthProbe() override { return m_probe; }

    // Any thread.
    void setRule(Rule rule)
    {
        std::lock_guard lock(m_mutex);
        m_rule = std::move(rule);
    }
    Rule rule() const
    {
        std::lock_guard lock(m_mutex);
        return m_rule;
    }
    int requests() const noexcept { return m_requests.load(); }
    int cancelled() const noexcept { return m_cancelled.load(); }

private:
    Probe m_probe;
    mutable std::mutex m_mutex;
    Rule m_rule; // guarded by m_mutex
    RequestId m_nextId = 0;
    std::map<RequestId, Done> m_pending;
    std::atomic<int> m_requests{0};
    std::atomic<int> m_cancelled{0};
};

} // namespace breakwater::test
