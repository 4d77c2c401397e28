#include "alertfeedview.h"

#include "alertfeedmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>

namespace breakwater {

AlertFeedView::AlertFeedView(QWidget* parent)
    : QWidget(parent)
    , m_model(new AlertFeedModel(this))
    , m_count(new QLabel(this))
    , m_table(new QTableView(this))
{
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->resizeSection(AlertFeedModel::TimeColumn, 80);
    header->resizeSection(AlertFeedModel::SeverityColumn, 90);
    header->resizeSection(AlertFeedModel::ServiceColumn, 100);
    header->resizeSection(AlertFeedModel::RuleColumn, 110);
    header->resizeSection(AlertFeedModel::SummaryColumn, 320);
    header->resizeSection(AlertFeedModel::StatusColumn, 220);
    header->setStretchLastSection(true);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_count);
    layout->addWidget(m_table, 1);

    connect(m_model, &AlertFeedModel::countsChanged, this, [this] { updateCount(); });
    updateCount();
}

AlertFeedView::~AlertFeedView() = default;

void AlertFeedView::appendEvents(std::span<const Event> events)
{
    m_model->appendEvents(events);
}

QString AlertFeedView::countText() const
{
    return m_count->text();
}

void AlertFeedView::updateCount()
{
    const QLocale locale;
    if (m_model->rowCount() == 0) {
        m_count->setText(QStringLiteral("No alerts"));
        return;
    }
    QString text = locale.toString(m_model->firingCount()) + QStringLiteral(" firing, ") +
                   locale.toString(m_model->resolvedCount()) + QStringLiteral(" resolved");
    if (m_model->evictedCount() > 0)
        text += QStringLiteral(" (") + locale.toString(qulonglong(m_model->evictedCount())) +
                QStringLiteral(" older alerts no longer listed)");
    m_count->setText(text);
}

} // namespace breakwater
