"""A small e-invoice PDF as a real 电子发票 shows its fields, made with WeasyPrint."""

from weasyprint import HTML

INVOICE_HTML = """<html lang="zh-CN"><head><meta charset="utf-8"><style>
body {{ font-family: 'Noto Sans CJK SC', sans-serif; font-size: 10pt; }}
</style></head><body>
<h1>电子发票（普通发票）</h1>
<p>发票号码：{number}</p>
<p>开票日期：{year}年{month}月{day}日</p>
<p>购买方信息 名称：某某科技有限公司</p>
<p>项目名称 *运输服务*客运服务费</p>
<p>价税合计（大写） 肆拾伍圆整 （小写）¥{amount}</p>
<p>开票人：滴滴出行</p>
</body></html>"""


def invoice_pdf(number: str = "24442000000123456789", when=(2026, 12, 2),
                amount: str = "45.00") -> bytes:
    year, month, day = when
    html = INVOICE_HTML.format(number=number, year=year, month=month, day=day, amount=amount)
    return HTML(string=html).write_pdf()
