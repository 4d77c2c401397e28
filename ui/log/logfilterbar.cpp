#include "logfilterbar.h"

#include "logfilterproxy.h"
#include "logtablemodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace breakwater {

LogFilterBar::LogFilterBar(LogTableModel* model, LogFilterProxy* proxy, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(proxy)
    , m_level(new QComboBox(this))
    , m_eventType(new QComboBox(this))
    , m_service(new QComboBox(this))
    , m_search(new QLineEdit(this))
{
    m_level->setObjectName(QStringLiteral("levelFilter"));
    m_eventType->setObjectName(QStringLiteral("eventTypeFilter"));
    m_service->setObjectName(QStringLiteral("serviceFilter"));
    m_search->setObjectName(QStringLiteral("searchField"));
    m_level->setToolTip(tr("Show events at this level and above"));
    m_eventType->setToolTip(tr("Show one type of event"));
    m_service->setToolTip(tr("Show the events of one service"));
    m_search->setPlaceholderText(tr("Call id or text in message, reason, error code"));
    m_search->setClearButtonEnabled(true);
    m_service->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    fillLevels();
    fillEventTypes();
    fillServices();

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_level);
    layout->addWidget(m_eventType);
    layout->addWidget(m_service);
    layout->addWidget(m_search, 1);

    connect(m_level, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setMinimumLevel(EventLevel(m_level->currentData().toInt())); });
    connect(m_eventType, &QComboBox::currentIndexChanged, this, [this] {
        const QVariant type = m_eventType->currentData();
        m_proxy->setEventTypes(type.isValid() ? QList<EventType>{EventType(type.toInt())}
                                              : QList<EventType>{});
    });
    connect(m_service, &QComboBox::currentIndexChanged, this, &LogFilterBar::applyService);
    connect(m_model, &LogTableModel::serviceSeen, this, &LogFilterBar::addService);
    connect(m_model, &QAbstractItemModel::modelReset, this, &LogFilterBar::fillServices);

    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(kSearchDelay);
    connect(&m_searchDelay, &QTimer::timeout, this, &LogFilterBar::applySearchNow);
    connect(m_search, &QLineEdit::textChanged, &m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::returnPressed, this, &LogFilterBar::applySearchNow);
}

void LogFilterBar::applySearchNow()
{
    m_searchDelay.stop();
    m_proxy->setText(m_search->text());
}

void LogFilterBar::fillLevels()
{
    m_level->addItem(tr("All levels"), int(EventLevel::Debug));
    m_level->addItem(tr("Info and above"), int(EventLevel::Info));
    m_level->addItem(tr("Warning and above"), int(EventLevel::Warning));
    m_level->addItem(tr("Error and above"), int(EventLevel::Error));
    m_level->addItem(tr("Critical"), int(EventLevel::Critical));
    m_level->setCurrentIndex(m_level->findData(int(m_proxy->minimumLevel())));
}

void LogFilterBar::fillEventTypes()
{
    m_eventType->addItem(tr("All events"));
    for (int i = 0; i < kEventTypeCount; ++i)
        m_eventType->addItem(eventTypeName(EventType(i)), i);
}

void LogFilterBar::fillServices()
{
    const QSignalBlocker quiet(m_service);
    m_service->clear();
    m_service->addItem(tr("All services"));
    for (const QString& service : m_model->services())
        addService(service);
    // A filtered service stays selectable after a clear, until the operator picks another.
    const QString filtered = m_proxy->service();
    if (!filtered.isEmpty()) {
        addService(filtered);
        m_service->setCurrentIndex(m_service->findData(filtered));
    }
}

void LogFilterBar::addService(const QString& service)
{
    if (m_service->findData(service) < 0)
        m_service->addItem(service, service);
}

void LogFilterBar::applyService()
{
    m_proxy->setService(m_service->currentData().toString());
}

} // namespace breakwater
