#include "scenarioparser.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace breakwater {
namespace {

using Kind = ScenarioStep::Kind;

// Reads one step; every error names the step and the field.
class StepReader
{
public:
    StepReader(const QJsonObject& object, QString where)
        : m_object(object)
        , m_where(std::move(where))
    {}

    QString error() const { return m_error; }
    bool failed() const { return !m_error.isEmpty(); }

    void fail(const QString& field, const QString& reason)
    {
        if (m_error.isEmpty())
            m_error = m_where + QLatin1Char('.') + field + QStringLiteral(": ") + reason;
    }

    std::optional<double> number(const QString& field, double min, double max)
    {
        const QJsonValue value = m_object.value(field);
        if (value.isUndefined())
            return std::nullopt;
        if (!value.isDouble() || !std::isfinite(value.toDouble())) {
            fail(field, QStringLiteral("expected a number"));
            return std::nullopt;
        }
        const double n = value.toDouble();
        if (n < min || n > max) {
            fail(field, QStringLiteral("must be between %1 and %2").arg(min).arg(max));
            return std::nullopt;
        }
        return n;
    }

    Duration millis(const QString& field, Duration fallback)
    {
        const auto n = number(field, 0, 24.0 * 3600 * 1000);
        return n ? Duration(std::chrono::microseconds(std::llround(*n * 1000))) : fallback;
    }

    QString string(const QString& field)
    {
        const QJsonValue value = m_object.value(field);
        if (value.isUndefined())
            return {};
        if (!value.isString()) {
            fail(field, QStringLiteral("expected a string"));
            return {};
        }
        return value.toString();
    }

    std::optional<BreakerState> state(const QString& field)
    {
        const QString name = string(field);
        if (name.isEmpty())
            return std::nullopt;
        auto state = breakerStateFromName(name);
        if (!state)
            fail(field, QStringLiteral("unknown breaker state \"%1\"").arg(name));
        return state;
    }

    // Takes a nested reader's error, which already names its full path.
    void adopt(const QString& error)
    {
        if (m_error.isEmpty())
            m_error = error;
    }

    // A misspelt field would silently change what a scenario checks: refuse it.
    void rejectUnknownFields(std::initializer_list<const char*> known)
    {
        for (auto it = m_object.begin(); it != m_object.end(); ++it) {
            const bool isKnown = std::any_of(known.begin(), known.end(), [&](const char* name) {
                return it.key() == QLatin1StringView(name);
            });
            if (!isKnown)
                fail(it.key(), QStringLiteral("unknown field"));
        }
    }

    const QJsonObject& object() const { return m_object; }
    const QString& where() const { return m_where; }

private:
    QJsonObject m_object;
    QString m_where;
    QString m_error;
};

FaultPlan readFault(StepReader& reader, const QJsonValue& value)
{
    FaultPlan plan;
    QJsonObject object;
    if (value.isString()) {
        object.insert(QStringLiteral("mode"), value);
    } else if (value.isObject()) {
        object = value.toObject();
    } else {
        reader.fail(QStringLiteral("inject"), QStringLiteral("expected a mode name or an object"));
        return plan;
    }
    StepReader fault(object, reader.where() + QStringLiteral(".inject"));
    fault.rejectUnknownFields(
        {"mode", "latency_ms", "retry_after_s", "failure_rate", "failure", "seed"});
    const QString mode = fault.string(QStringLiteral("mode"));
    const auto parsed = faultModeFromName(mode);
    if (!parsed)
        fault.fail(QStringLiteral("mode"), QStringLiteral("unknown fault mode \"%1\"").arg(mode));
    else
        plan.mode = *parsed;
    if (auto latency = fault.number(QStringLiteral("latency_ms"), 0, 600000))
        plan.latency = std::chrono::milliseconds(std::llround(*latency));
    if (plan.mode == FaultMode::Slow && plan.latency.count() == 0)
        plan.latency = std::chrono::milliseconds(1000);
    if (auto retryAfter = fault.number(QStringLiteral("retry_after_s"), 0, 3600))
        plan.retryAfter = std::chrono::seconds(std::llround(*retryAfter));
    if (auto rate = fault.number(QStringLiteral("failure_rate"), 0, 1))
        plan.flappingFailureRate = *rate;
    if (auto seed = fault.number(QStringLiteral("seed"), 0, 9.0e15))
        plan.seed = std::uint64_t(*seed);
    const QString failure = fault.string(QStringLiteral("failure"));
    if (!failure.isEmpty()) {
        if (auto failureMode = faultModeFromName(failure))
            plan.flappingFailure = *failureMode;
        else
            fault.fail(QStringLiteral("failure"),
                       QStringLiteral("unknown fault mode \"%1\"").arg(failure));
    }
    if (!fault.failed()) {
        const QString invalid = validateFaultPlan(plan);
        if (!invalid.isEmpty())
            fault.fail(QStringLiteral("mode"), invalid);
    }
    if (fault.failed())
        reader.adopt(fault.error());
    return plan;
}

std::optional<EventType> readOutcome(StepReader& reader)
{
    const QString outcome = reader.string(QStringLiteral("expect"));
    if (outcome.isEmpty())
        return std::nullopt;
    const auto type = eventTypeFromName(QString(QStringLiteral("call_") + outcome));
    if (!type || !isTerminal(*type)) {
        reader.fail(QStringLiteral("expect"),
                    QStringLiteral("expected succeeded, failed, skipped or degraded"));
        return std::nullopt;
    }
    return type;
}

constexpr Duration kDefaultPatience = std::chrono::seconds(10);

ScenarioStep readStep(StepReader& reader)
{
    const QJsonObject& o = reader.object();
    ScenarioStep step;
    reader.rejectUnknownFields({"phase", "note", "send", "interval_ms", "expect", "max_latency_ms",
                                "within_ms", "inject", "restore", "wait_ms", "expect_transition",
                                "reason", "at_threshold", "expect_state", "expect_event",
                                "at_least", "expect_retry_delays_grow"});
    step.title = reader.string(QStringLiteral("note"));
    step.duration = reader.millis(QStringLiteral("within_ms"), kDefaultPatience);
    if (o.contains(QStringLiteral("phase"))) {
        step.kind = Kind::Phase;
        step.title = reader.string(QStringLiteral("phase"));
    } else if (o.contains(QStringLiteral("send"))) {
        step.kind = Kind::Send;
        step.count = int(reader.number(QStringLiteral("send"), 1, 100000).value_or(1));
        step.interval = reader.millis(QStringLiteral("interval_ms"), Duration::zero());
        step.expectOutcome = readOutcome(reader);
        step.maxLatencyMs = reader.number(QStringLiteral("max_latency_ms"), 0, 3.6e6);
        step.duration = reader.millis(QStringLiteral("within_ms"), std::chrono::seconds(60));
    } else if (o.contains(QStringLiteral("inject"))) {
        step.kind = Kind::Inject;
        step.fault = readFault(reader, o.value(QStringLiteral("inject")));
    } else if (o.contains(QStringLiteral("restore"))) {
        step.kind = Kind::Restore;
    } else if (o.contains(QStringLiteral("wait_ms"))) {
        step.kind = Kind::Wait;
        step.duration = reader.millis(QStringLiteral("wait_ms"), Duration::zero());
    } else if (o.contains(QStringLiteral("expect_transition"))) {
        step.kind = Kind::ExpectTransition;
        step.state = reader.state(QStringLiteral("expect_transition"));
        if (!step.state)
            reader.fail(QStringLiteral("expect_transition"), QStringLiteral("names no state"));
        step.reason = reader.string(QStringLiteral("reason"));
        step.atThreshold = o.value(QStringLiteral("at_threshold")).toBool(false);
    } else if (o.contains(QStringLiteral("expect_state"))) {
        step.kind = Kind::ExpectState;
        step.state = reader.state(QStringLiteral("expect_state"));
        if (!step.state)
            reader.fail(QStringLiteral("expect_state"), QStringLiteral("names no state"));
    } else if (o.contains(QStringLiteral("expect_event"))) {
        step.kind = Kind::ExpectEvent;
        const QString name = reader.string(QStringLiteral("expect_event"));
        if (auto type = eventTypeFromName(name))
            step.event = *type;
        else
            reader.fail(QStringLiteral("expect_event"),
                        QStringLiteral("unknown event \"%1\"").arg(name));
        step.minimum = int(reader.number(QStringLiteral("at_least"), 1, 1e9).value_or(1));
    } else if (o.contains(QStringLiteral("expect_retry_delays_grow"))) {
        step.kind = Kind::ExpectRetryDelaysGrow;
    } else {
        reader.fail(QStringLiteral("step"),
                    QStringLiteral("expected one of phase, send, inject, restore, wait_ms, "
                                   "expect_transition, expect_state, expect_event, "
                                   "expect_retry_delays_grow"));
    }
    return step;
}

} // namespace

ScenarioParse parseScenario(const QByteArray& json)
{
    ScenarioParse result;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.error = QStringLiteral("not valid JSON at offset %1: %2")
                           .arg(parseError.offset)
                           .arg(parseError.errorString());
        return result;
    }
    if (!document.isObject()) {
        result.error = QStringLiteral("a scenario is a JSON object with a \"steps\" array");
        return result;
    }
    const QJsonObject root = document.object();
    result.scenario.name = root.value(QStringLiteral("name")).toString(QStringLiteral("scenario"));
    result.scenario.description = root.value(QStringLiteral("description")).toString();
    const QJsonValue steps = root.value(QStringLiteral("steps"));
    if (!steps.isArray() || steps.toArray().isEmpty()) {
        result.error = QStringLiteral("steps: expected a non-empty array of steps");
        return result;
    }
    const QJsonArray array = steps.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString where = QStringLiteral("steps[%1]").arg(i);
        if (!array.at(i).isObject()) {
            result.error = where + QStringLiteral(": expected an object");
            return result;
        }
        StepReader reader(array.at(i).toObject(), where);
        ScenarioStep step = readStep(reader);
        if (reader.failed()) {
            result.error = reader.error();
            return result;
        }
        result.scenario.steps.push_back(std::move(step));
    }
    return result;
}

ScenarioParse loadScenarioFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ScenarioParse result;
        result.error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return result;
    }
    // A scenario is a few hundred bytes; a multi-megabyte one is a mistake, not a scenario.
    constexpr qint64 kMaxScenarioBytes = 4 * 1024 * 1024;
    if (file.size() > kMaxScenarioBytes) {
        ScenarioParse result;
        result.error = QStringLiteral("%1 is larger than 4 MB: not a scenario").arg(path);
        return result;
    }
    return parseScenario(file.readAll());
}

ScenarioParse seedScenario()
{
    return loadScenarioFile(QStringLiteral(":/breakwater/scenarios/seed.json"));
}

} // namespace breakwater
