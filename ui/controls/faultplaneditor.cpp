#include "faultplaneditor.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

namespace breakwater {

QString faultModeTitle(FaultMode mode)
{
    switch (mode) {
    case FaultMode::Healthy:
        return FaultPlanEditor::tr("Healthy");
    case FaultMode::ServiceUnavailable:
        return FaultPlanEditor::tr("503 Service Unavailable");
    case FaultMode::InternalError:
        return FaultPlanEditor::tr("500 Internal Server Error");
    case FaultMode::RateLimited:
        return FaultPlanEditor::tr("429 Too Many Requests");
    case FaultMode::InvalidApiKey:
        return FaultPlanEditor::tr("401 Invalid API key");
    case FaultMode::QuotaExceeded:
        return FaultPlanEditor::tr("401 Quota exceeded");
    case FaultMode::Hang:
        return FaultPlanEditor::tr("Hang (never answers)");
    case FaultMode::Slow:
        return FaultPlanEditor::tr("Slow answers");
    case FaultMode::ConnectionReset:
        return FaultPlanEditor::tr("Connection reset");
    case FaultMode::MalformedBody:
        return FaultPlanEditor::tr("Malformed body");
    case FaultMode::Flapping:
        return FaultPlanEditor::tr("Flapping (some requests fail)");
    }
    return {};
}

FaultPlanEditor::FaultPlanEditor(QWidget* parent)
    : QWidget(parent)
{
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);

    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("faultMode"));
    m_flappingFailure = new QComboBox(this);
    m_flappingFailure->setObjectName(QStringLiteral("flappingFailure"));
    for (int i = 0; i < kFaultModeCount; ++i) {
        const auto mode = FaultMode(i);
        if (mode == FaultMode::Healthy)
            continue; // restoring is its own button
        m_mode->addItem(faultModeTitle(mode), faultModeName(mode));
        if (mode != FaultMode::Flapping && mode != FaultMode::Slow)
            m_flappingFailure->addItem(faultModeTitle(mode), faultModeName(mode));
    }
    form->addRow(tr("Outage"), m_mode);

    m_latencyMs = new QSpinBox(this);
    m_latencyMs->setObjectName(QStringLiteral("faultLatency"));
    m_latencyMs->setRange(0, 600'000);
    m_latencyMs->setSingleStep(100);
    m_latencyMs->setSuffix(tr(" ms"));
    m_latencyMs->setValue(800);
    form->addRow(tr("Added latency"), m_latencyMs);

    m_retryAfterS = new QSpinBox(this);
    m_retryAfterS->setObjectName(QStringLiteral("faultRetryAfter"));
    m_retryAfterS->setRange(0, 3600);
    m_retryAfterS->setSuffix(tr(" s"));
    m_retryAfterS->setValue(1);
    m_retryAfterS->setToolTip(tr("The Retry-After header of each 429 (0: none)"));
    form->addRow(tr("Retry-After"), m_retryAfterS);

    m_flappingPercent = new QDoubleSpinBox(this);
    m_flappingPercent->setObjectName(QStringLiteral("flappingPercent"));
    m_flappingPercent->setRange(0.0, 100.0);
    m_flappingPercent->setDecimals(0);
    m_flappingPercent->setSuffix(tr(" %"));
    m_flappingPercent->setValue(50.0);
    form->addRow(tr("Failing share"), m_flappingPercent);
    form->addRow(tr("Failing as"), m_flappingFailure);

    m_seed = new QSpinBox(this);
    m_seed->setObjectName(QStringLiteral("flappingSeed"));
    m_seed->setRange(1, 1'000'000);
    form->addRow(tr("Random seed"), m_seed);

    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    form->addRow(m_summary);

    const auto changed = [this] {
        updateEnabledFields();
        Q_EMIT planChanged();
    };
    connect(m_mode, &QComboBox::currentIndexChanged, this, changed);
    connect(m_flappingFailure, &QComboBox::currentIndexChanged, this, changed);
    connect(m_latencyMs, &QSpinBox::valueChanged, this, changed);
    connect(m_retryAfterS, &QSpinBox::valueChanged, this, changed);
    connect(m_flappingPercent, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_seed, &QSpinBox::valueChanged, this, changed);
    updateEnabledFields();
}

FaultPlan FaultPlanEditor::plan() const
{
    FaultPlan plan;
    plan.mode = faultModeFromName(m_mode->currentData().toString()).value_or(FaultMode::Healthy);
    // The simulator can add latency in every mode; the editor asks for it where it is the outage.
    if (plan.mode == FaultMode::Slow)
        plan.latency = std::chrono::milliseconds(m_latencyMs->value());
    plan.retryAfter = std::chrono::seconds(m_retryAfterS->value());
    plan.flappingFailureRate = m_flappingPercent->value() / 100.0;
    plan.flappingFailure = faultModeFromName(m_flappingFailure->currentData().toString())
                               .value_or(FaultMode::ServiceUnavailable);
    plan.seed = std::uint64_t(m_seed->value());
    return plan;
}

void FaultPlanEditor::setPlan(const FaultPlan& plan)
{
    if (const int i = m_mode->findData(faultModeName(plan.mode)); i >= 0)
        m_mode->setCurrentIndex(i);
    m_latencyMs->setValue(int(plan.latency.count()));
    m_retryAfterS->setValue(int(plan.retryAfter.count()));
    m_flappingPercent->setValue(plan.flappingFailureRate * 100.0);
    if (const int i = m_flappingFailure->findData(faultModeName(plan.flappingFailure)); i >= 0)
        m_flappingFailure->setCurrentIndex(i);
    m_seed->setValue(int(plan.seed));
    updateEnabledFields();
}

void FaultPlanEditor::updateEnabledFields()
{
    const FaultMode mode =
        faultModeFromName(m_mode->currentData().toString()).value_or(FaultMode::Healthy);
    const bool flapping = mode == FaultMode::Flapping;
    m_latencyMs->setEnabled(mode == FaultMode::Slow);
    m_retryAfterS->setEnabled(mode == FaultMode::RateLimited ||
                              (flapping && m_flappingFailure->currentData().toString() ==
                                               faultModeName(FaultMode::RateLimited)));
    m_flappingPercent->setEnabled(flapping);
    m_flappingFailure->setEnabled(flapping);
    m_seed->setEnabled(flapping);
    const FaultPlan p = plan();
    const QString problem = validateFaultPlan(p);
    m_summary->setText(problem.isEmpty() ? tr("Will answer: %1").arg(describeFaultPlan(p))
                                         : tr("Not usable: %1").arg(problem));
}

} // namespace breakwater
