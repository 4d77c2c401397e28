#include "loadgenerator.h"

#include "callpipeline.h"
#include "samplescripts.h"

namespace breakwater {
namespace {

// Ticks often enough that a few calls per second look steady and thousands per second arrive
// in small bursts rather than one lump.
constexpr int kTickMs = 10;
// A stalled event loop must not turn into a flood of owed calls afterwards.
constexpr double kMaxCreditSeconds = 0.5;

} // namespace

LoadGenerator::LoadGenerator(CallPipeline& pipeline, QStringList scripts, std::uint64_t seed,
                             QObject* parent)
    : QObject(parent)
    , m_pipeline(pipeline)
    , m_scripts(scripts.isEmpty() ? builtInCallScripts() : std::move(scripts))
    , m_random(seed)
{
    m_timer.setInterval(kTickMs);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &LoadGenerator::tick);
}

void LoadGenerator::setCallsPerSecond(double rate)
{
    m_rate = rate > 0.0 ? rate : 0.0;
}

void LoadGenerator::start()
{
    if (m_timer.isActive())
        return;
    m_credit = 0.0;
    m_sinceTick.start();
    m_timer.start();
    Q_EMIT runningChanged(true);
}

void LoadGenerator::stop()
{
    if (!m_timer.isActive())
        return;
    m_timer.stop();
    Q_EMIT runningChanged(false);
}

void LoadGenerator::tick()
{
    const double elapsed = double(m_sinceTick.restart()) / 1000.0;
    m_credit = std::min(m_credit + m_rate * elapsed, m_rate * kMaxCreditSeconds + 1.0);
    while (m_credit >= 1.0) {
        m_credit -= 1.0;
        const auto pick = m_random.next() % std::uint64_t(m_scripts.size());
        m_pipeline.submit({0, m_scripts.at(qsizetype(pick)), {}});
        ++m_submitted;
    }
}

} // namespace breakwater
