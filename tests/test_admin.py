"""The office manages people and departments; every change is in the audit log."""

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.audit.models import AuditEntry
from portal.extensions import db


def _count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_office_creates_a_person_with_roles_and_it_is_audited(client, auth, make_user,
                                                               make_department):
    auth.login(make_user("office"))
    department = make_department("质量部")
    response = client.post("/admin/users/new", data={
        "employee_no": "Q2001", "name": "刘敏", "department_id": department.id,
        "phone": "13800000000", "email": "", "language": "zh_CN",
        "roles": ["employee", "dept_head"], "active": "y"})
    assert response.status_code == 303
    person = User.by_employee_no("Q2001")
    assert person.roles == {"employee", "dept_head"} and person.department == department
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create"))
    assert entry.target == f"user:{person.id}"
    assert "user.create" in client.get("/admin/audit/").get_data(as_text=True)


def test_bad_input_keeps_what_was_typed_and_says_what_to_fix(client, auth, make_user):
    taken = make_user()
    auth.login(make_user("office"))
    response = client.post("/admin/users/new", data={
        "employee_no": taken.employee_no, "name": "张三", "department_id": 0,
        "phone": "abc", "language": "zh_CN", "roles": ["employee"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="张三"' in html
    assert "只能包含数字" in html


def test_deactivating_a_person_signs_them_out_everywhere(app, client, auth, make_user):
    person = make_user(name="赵六")
    their_phone = app.test_client()
    their_phone.post("/login", data={"employee_no": person.employee_no,
                                     "password": "correct-horse-9"})
    auth.login(make_user("office"))
    client.post(f"/admin/users/{person.id}", data={
        "employee_no": person.employee_no, "name": person.name, "department_id": 0,
        "language": "zh_CN", "roles": ["employee"]})  # "active" unticked
    assert their_phone.get("/").status_code == 302


def test_reset_password_shows_a_one_time_password_that_works(app, client, auth, make_user):
    person = make_user()
    auth.login(make_user("office"))
    html = client.post(f"/admin/users/{person.id}/reset-password").get_data(as_text=True)
    assert "用它登录后，必须先设置自己的密码" in html
    password = html.split('<p class="secret"><code>')[1].split("</code>")[0]
    db.session.refresh(person)
    assert person.must_change_password
    response = app.test_client().post("/login", data={"employee_no": person.employee_no,
                                                      "password": password})
    assert response.status_code == 303 and response.location == "/account/password"
    assert "下次登录时必须设置自己的密码" in client.get(f"/admin/users/{person.id}").get_data(
        as_text=True)


def test_a_new_person_has_no_password_until_the_office_resets_it(app, client, auth, make_user):
    auth.login(make_user("office"))
    response = client.post("/admin/users/new", data={
        "employee_no": "Q2002", "name": "刘敏", "department_id": 0, "language": "zh_CN",
        "roles": ["employee"], "active": "y"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    person = User.by_employee_no("Q2002")
    assert response.request.path == f"/admin/users/{person.id}"  # where "Reset password" is
    assert "已保存。刘敏 暂时还不能登录：请点击“重置密码”" in html
    assert "尚未设置密码：此人还不能登录" in html
    assert "尚未设置密码" in client.get("/admin/users?q=Q2002").get_data(as_text=True)
    assert person.password_hash == "" and person.must_change_password
    refused = app.test_client().post("/login", data={"employee_no": "Q2002", "password": ""})
    assert refused.status_code == 200  # no password: cannot sign in

    html = client.post(f"/admin/users/{person.id}/reset-password").get_data(as_text=True)
    password = html.split('<p class="secret"><code>')[1].split("</code>")[0]
    response = app.test_client().post("/login", data={"employee_no": "Q2002",
                                                      "password": password})
    assert response.location == "/account/password"


def test_reset_password_says_in_english_that_it_must_be_replaced(client, auth, make_user):
    person = make_user(name="Zhou Min")
    auth.login(make_user("office", language="en"))
    html = client.post(f"/admin/users/{person.id}/reset-password").get_data(as_text=True)
    assert "they must choose their own password before anything else" in html


def test_unknown_person_or_department_is_404(client, auth, make_user):
    auth.login(make_user("office"))
    assert client.get("/admin/users/9999").status_code == 404
    assert client.get("/admin/departments/9999").status_code == 404


def test_department_gets_a_head(client, auth, make_user):
    head = make_user(name="李建华")
    auth.login(make_user("office"))
    response = client.post("/admin/departments/new", data={"name": "生产部", "head_id": head.id})
    assert response.status_code == 303
    department = db.session.scalar(select(Department).where(Department.name == "生产部"))
    assert department.head == head
    assert "李建华" in client.get("/admin/departments").get_data(as_text=True)


def _upload(client, name: str, data: bytes):
    return client.post("/admin/users/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_csv_import_creates_and_updates_people(client, auth, make_user, make_department):
    existing = make_user(name="旧名字", employee_no="E0001")
    make_department("销售部")
    auth.login(make_user("office"))
    csv_text = ("工号,姓名,部门,电话,角色\n"
                "E0001,新名字,销售部,,employee\n"
                "E0002,周杰,销售部,139,\"employee,dept_head\"\n")
    response = _upload(client, "people.csv", csv_text.encode("utf-8-sig"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "新增 1 人，更新 1 人" in html
    assert "新增人员尚未设置密码：请逐一打开，点击“重置密码”" in html
    db.session.refresh(existing)
    assert existing.name == "新名字" and not existing.must_change_password
    newcomer = User.by_employee_no("E0002")
    assert newcomer.roles == {"employee", "dept_head"}
    assert newcomer.password_hash == "" and newcomer.must_change_password


def test_a_file_with_one_bad_row_changes_nothing_and_reports_why(client, auth, make_user):
    auth.login(make_user("office"))
    before = _count_users()
    csv_text = "employee_no,name,department\nE0100,好人,\nE0101,,\nE0102,坏部门,不存在部\n"
    response = _upload(client, "people.csv", csv_text.encode("gb18030"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "3 行中有 2 行被拒绝" in html
    assert "未知部门：不存在部" in html and "姓名缺失" in html
    assert _count_users() == before


def test_xlsx_import_of_two_thousand_people(client, auth, make_user):
    auth.login(make_user("office"))
    workbook = Workbook()
    workbook.active.append(["employee_no", "name", "phone"])
    for i in range(2000):
        workbook.active.append([f"N{i:05d}", f"员工{i}", f"1380000{i:04d}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _upload(client, "people.xlsx", buffer.getvalue())
    assert "新增 2000 人" in response.get_data(as_text=True)
    assert User.by_employee_no("N01999").name == "员工1999"


def test_a_file_that_is_not_a_workbook_is_refused_beside_the_field(client, auth, make_user):
    auth.login(make_user("office"))
    response = _upload(client, "people.xlsx", b"%PDF-1.7 not a workbook")
    assert response.status_code == 422
    assert "不是可读取的 XLSX 工作簿" in response.get_data(as_text=True)


def test_people_search_answers_htmx_with_the_results_region(client, auth, make_user):
    make_user(name="欧阳娜")
    auth.login(make_user("office"))
    response = client.get("/admin/users?q=欧阳", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "欧阳娜" in html and "<nav" not in html


def test_reimporting_names_and_phones_keeps_roles_department_and_email(client, auth, make_user,
                                                                      make_department):
    office = make_department("办公室")
    admin = make_user("employee", "office", employee_no="A0001", name="陈立新",
                      department=office, phone="13900000001", email="chen@example.com")
    auth.login(admin)
    # No roles, department or email column; a blank phone cell.
    csv_text = "工号,姓名,电话\nA0001,陈立新,\nE0009,新同事,13700000009\n"
    response = _upload(client, "people.csv", csv_text.encode("utf-8"))
    assert "新增 1 人，更新 1 人" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.roles == {"employee", "office"}
    assert admin.department == office
    assert (admin.phone, admin.email) == ("13900000001", "chen@example.com")
    assert client.get("/admin/users").status_code == 200  # still in office
    newcomer = User.by_employee_no("E0009")
    assert newcomer.roles == {"employee"} and newcomer.phone == "13700000009"


def test_import_with_a_roles_column_changes_roles_and_filled_cells(client, auth, make_user,
                                                                   make_department):
    make_department("销售部")
    person = make_user("employee", "dept_head", employee_no="E0010", phone="1", email="a@b.cn")
    auth.login(make_user("office"))
    csv_text = ("employee_no,name,department,email,roles\n"
                "E0010,周杰,销售部,zhou@example.com,employee\n")
    assert _upload(client, "people.csv", csv_text.encode()).status_code == 200
    db.session.refresh(person)
    assert person.roles == {"employee"} and person.department.name == "销售部"
    assert (person.name, person.email, person.phone) == ("周杰", "zhou@example.com", "1")
